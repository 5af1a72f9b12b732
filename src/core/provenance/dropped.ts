/** Files dropped or picked together: the data file and its provenance sidecar (light: the page imports it). */

/** "synthetic.csv" → "synthetic.provenance.json" (the name without its extension). */
export function sidecarName(dataFileName: string): string {
  const base = dataFileName.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return `${dot > 0 ? base.slice(0, dot) : base}.provenance.json`;
}

/** The sidecar among files dropped together with the data file: NAME.provenance.json, else provenance.json. */
export function pickSidecar<T extends { name: string }>(dataFileName: string, companions: T[]): T | undefined {
  return companions.find((f) => f.name === sidecarName(dataFileName)) ?? companions.find((f) => f.name === 'provenance.json') ?? companions.find((f) => f.name.endsWith('.provenance.json'));
}

/** Split files dropped together into the data file and the rest (provenance sidecars). */
export function splitDropped<T extends { name: string }>(files: T[]): { data?: T; companions: T[] } {
  const data = files.find((f) => !/(^|\.)provenance\.json$/i.test(f.name));
  return { data, companions: files.filter((f) => f !== data) };
}
