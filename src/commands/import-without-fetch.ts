/**
 * Loads the modules that pull in Ink with the global `fetch` hidden meanwhile. Ink lays out with
 * yoga-layout, whose Emscripten loader fetch()es its own inlined wasm (a data: URL) whenever a
 * global `fetch` exists, and Node's first fetch() loads undici: about 50 ms before the TUI's first
 * frame (bench/tui-first-frame.ts). Without `fetch` the same loader decodes the inlined bytes
 * itself. Nothing else runs while the TUI's modules load, and `fetch` is put back as it was, also
 * when loading fails.
 */
export async function importWithoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const fetchProperty = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (fetchProperty === undefined || fetchProperty.configurable !== true) return load();
  delete (globalThis as { fetch?: unknown }).fetch;
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', fetchProperty);
  }
}
