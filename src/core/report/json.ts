import type { Report } from './types';

/** The report(s) as JSON text. Reports are plain data already; this pins the format in one place. */
export function reportToJson(report: Report | Report[], indent = 2): string {
  return JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), indent);
}
