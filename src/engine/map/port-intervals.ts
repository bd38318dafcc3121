/**
 * Port sets as inclusive ranges, and the cut of 1..65535 into intervals inside which no policy,
 * Service or container port can tell two ports apart: one evaluation per interval stands for it.
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

/** Cuts that isolate each listed port as an interval of its own. */
export function singlePortCuts(ports: Iterable<number>): number[] {
  const cuts: number[] = [];
  for (const p of ports) {
    if (p >= 1 && p <= 65535) cuts.push(p, p + 1);
  }
  return cuts;
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

export function rangesContain(ranges: readonly PortRange[], port: number): boolean {
  return ranges.some(([a, b]) => port >= a && port <= b);
}
