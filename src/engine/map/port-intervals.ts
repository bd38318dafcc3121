/**
 * Port sets as inclusive ranges, and the partition of 1..65535 into port classes that no policy,
 * Service or container port can tell apart: one evaluation per class stands for all its ports.
 */
export type PortRange = readonly [number, number];

export const ALL_PORTS: PortRange = [1, 65535];

/** `cuts` are the first ports of new intervals; returns the sorted interval list over 1..65535. */
export function intervalsFrom(cuts: Iterable<number>): PortRange[] {
  const starts = new Set<number>([1]);
  for (const c of cuts) if (c > 1 && c <= 65535) starts.add(c);
  const sorted = [...starts].sort((a, b) => a - b);
  return sorted.map((start, i) => [start, (sorted[i + 1] ?? 65536) - 1] as const);
}

/**
 * The ports 1..65535 grouped by which of `named` they fall in: each class is a list of intervals
 * (ascending, classes in the order of their first port). The engine reads a flow's port only by
 * asking whether it lies in a range some object names (a NetworkPolicy port or port..endPort, an
 * AdminNetworkPolicy or Calico range, an AuthorizationPolicy port, a portLevelMtls key, a
 * Service targetPort, a capture annotation's port, a named port's container port), so two ports
 * inside the same named ranges get the same answer, even when a named range lies between them
 * (8000 and 10000 around a rule's 9000-9100).
 */
export function portClasses(named: readonly PortRange[]): PortRange[][] {
  const intervals = intervalsFrom(named.flatMap(([a, b]) => [a, b + 1]));
  const classes = new Map<string, PortRange[]>();
  for (const interval of intervals) {
    const key = named.map(([a, b]) => (interval[0] >= a && interval[0] <= b ? '1' : '0')).join('');
    const members = classes.get(key);
    if (members) members.push(interval);
    else classes.set(key, [interval]);
  }
  return [...classes.values()];
}

/** Adjacent ranges merged, input sorted by start. */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const out: [number, number][] = [];
  for (const [a, b] of ranges) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
