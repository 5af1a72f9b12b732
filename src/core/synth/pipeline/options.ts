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
  if (o.rules !== undefined && o.rules !== 'found' && o.rules !== 'none') {
    throw new UserError(`The rules setting must be "found" or "none" (got ${JSON.stringify(o.rules)}).`, 'found keeps the rules found in the data (the default); none keeps only declared rules.');
  }
  return {
    rules: o.rules ?? 'found',
    rareCategoryThreshold: k,
    redrawLeakedRows: o.redrawLeakedRows ?? true,
    allowOutOfBounds: o.allowOutOfBounds ?? false,
    redrawQuasiIdentifierMatches: o.redrawQuasiIdentifierMatches ?? false,
  };
}
