/** Types of make-test-models.mjs (the generator of the tiny test models). */
export const SPECIAL: string[];
export const PERSONS: string[];
export const LOCATIONS: string[];
export const ORGANISATIONS: string[];
export const VOCAB: string[];
export const LABELS: string[];
export const EMBED_DIM: number;
export function testModelFiles(): Record<string, Record<string, string | Uint8Array>>;
export function makeTestModels(dir: string): string[];
