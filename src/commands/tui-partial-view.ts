/**
 * The TUI under a partial view (issue 17): a live cluster with gaps, or `--from` a
 * `meshdbg snapshot` file whose status.gaps names what it could not read. The header says so,
 * and every explanation the TUI shows goes through the same partial-view rule as `explain`
 * and `check` (sources/kube/partial-view.ts): a verdict a gap could change is conditional.
 */
import type { Explanation } from '../engine/index.js';
import type { EnginePort } from '../ui/data/engine-port.js';
import type { SnapshotGap } from '../sources/manifests/snapshot-gaps.js';

/** The engine whose explanations pass through `partialView` (errors are left as they are). */
export function withPartialView(engine: EnginePort, partialView: (e: Explanation) => Explanation): EnginePort {
  return {
    ...engine,
    explain: (snapshot, query) => {
      const answer = engine.explain(snapshot, query);
      return 'verdict' in answer ? partialView(answer) : answer;
    },
  };
}

const NAMED_KINDS = 2;

/** `manifests: snap.yaml (partial view: status.gaps names AuthorizationPolicy.security.istio.io)`. */
export function manifestsLabel(from: readonly string[], gaps: readonly SnapshotGap[]): string {
  const base = `manifests: ${from.join(', ')}`;
  if (gaps.length === 0) return base;
  const kinds = [...new Set(gaps.map((g) => (g.namespace ? `${g.kind} in ${g.namespace}` : g.kind)))];
  const more = kinds.length > NAMED_KINDS ? ` and ${kinds.length - NAMED_KINDS} more` : '';
  return `${base} (partial view: status.gaps names ${kinds.slice(0, NAMED_KINDS).join(', ')}${more})`;
}
