/**
 * Where a finding on a field goes: the source line of the deepest map or list on the field's path
 * (`spec.ingress[0].ports[0].port` -> the map of that port), rather than the object's first line.
 * A key the path cannot spell (a label key with dots) ends the walk where it is; null when no map
 * or list on the path has a line (JSON from a live cluster, or a field at the top).
 */
export function lineOnPath(object: unknown, field: string, lines: WeakMap<object, number> | null): number | null {
  if (!lines) return null;
  let at: unknown = object;
  let line: number | null = null;
  for (const key of field.split(/[.[\]]/)) {
    if (key === '') continue;
    if (at === null || typeof at !== 'object') break;
    at = Array.isArray(at) ? (/^\d+$/.test(key) ? at[Number(key)] : undefined) : (at as Record<string, unknown>)[key];
    if (at !== null && typeof at === 'object') line = lines.get(at) ?? line;
  }
  return line;
}
