/** Fetch a bundled sample from the app's own origin (precached by the service worker). */
export async function loadSample(file: string): Promise<File> {
  const res = await fetch(`${import.meta.env.BASE_URL}samples/${file}`);
  if (!res.ok) throw new Error(`The sample "${file}" could not be loaded (HTTP ${res.status}).`);
  return new File([await res.blob()], file, { type: 'text/csv' });
}
