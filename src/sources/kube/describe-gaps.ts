/** The live source's gaps as `partial view: ...` lines for the status line, stderr and conditions. */
import type { UnreadableCollection } from './live-source.js';

export interface GapContext {
  /** false when Namespace objects could not be discovered or listed */
  readonly namespacesReadable: boolean;
  /** kinds read namespace by namespace because cluster-wide lists were refused */
  readonly perNamespace: readonly string[];
  /** the namespaces read, when not all */
  readonly scope: readonly string[] | null;
  readonly root: string;
}

export function describeGaps(unreadable: readonly UnreadableCollection[], ctx: GapContext): string[] {
  const partial: string[] = [];
  if (!ctx.namespacesReadable || unreadable.some((u) => u.kind === 'Namespace'))
    partial.push('partial view: Namespace objects are unreadable; namespace labels are unknown');
  if (ctx.perNamespace.length > 0) {
    partial.push(
      `partial view: no cluster-wide list rights for ${ctx.perNamespace.join(', ')}; read from namespaces ${(ctx.scope ?? []).join(', ')}`,
    );
  }
  const rootGaps = unreadable.filter((u) => u.namespace === ctx.root).map((u) => u.kind);
  if (rootGaps.length > 0)
    partial.push(
      `partial view: root namespace ${ctx.root} is unreadable (${rootGaps.join(', ')}); mesh-wide policies are unknown`,
    );
  const byPlace = new Map<string, string[]>();
  for (const u of unreadable) {
    if (u.kind === 'Namespace' || u.namespace === ctx.root) continue;
    const place = u.namespace ? `in ${u.namespace}` : 'cluster-wide';
    byPlace.set(place, [...(byPlace.get(place) ?? []), `${u.kind} (${u.reason.split(':')[0] ?? u.reason})`]);
  }
  for (const [place, kinds] of byPlace) partial.push(`partial view: cannot read ${place}: ${kinds.join(', ')}`);
  return partial;
}
