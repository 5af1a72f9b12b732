import { UserError } from '../../context';
import type { CommonOptions } from '../types';

export type ResolvedCommonOptions = Required<CommonOptions>;

export const DEFAULT_RARE_CATEGORY_THRESHOLD = 5;

/** Fill the pipeline's defaults and reject settings that make no sense. */
export function resolveCommonOptions(o: CommonOptions): ResolvedCommonOptions {
  const k = o.rareCategoryThreshold ?? DEFAULT_RARE_CATEGORY_THRESHOLD;
  if (!Number.isInteger(k) || k < 1) {
    throw new UserError(
      `The rare-category threshold must be a whole number of at least 1 (got ${k}).`,
      'Categories seen fewer times than this are pooled into one protected label; 5 is the default.',
    );
  }
  return {
    rareCategoryThreshold: k,
    redrawLeakedRows: o.redrawLeakedRows ?? true,
    allowOutOfBounds: o.allowOutOfBounds ?? false,
    redrawQuasiIdentifierMatches: o.redrawQuasiIdentifierMatches ?? false,
  };
}
