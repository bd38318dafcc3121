/**
 * The TUI under a partial view (issue 17): a live cluster with gaps, or `--from` a
 * `meshdbg snapshot` file whose status.gaps names what it could not read. The header says so,
 * and every explanation the TUI shows goes through the same partial-view rule as `explain`
 * and `check` (sources/kube/partial-view.ts): a verdict a gap could change is conditional.
 */
import type { Explanation } from '../engine/index.js';
import type { Finding } from '../model/findings.js';
import type { EnginePort } from '../ui/data/engine-port.js';
import type { SnapshotGap } from '../sources/manifests/snapshot-gaps.js';
import type { Snapshot } from '../model/snapshot.js';
import { admittedByCluster } from '../model/convert/istio-validate.js';
import type { LiveStatus } from '../sources/kube/live-source.js';
import { applyPartialView } from '../sources/kube/partial-view.js';
import { admittedObjects, applyAdmittedGaps } from './admitted-objects.js';

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

/**
 * The live TUI's rule, as `explain` on a cluster (load-snapshot.ts): the view's unreadable
 * collections, and the admitted objects lint calls invalid (admitted-objects.ts), each a
 * partial-view condition on the answers they could change. Read at each explanation, so the
 * gaps follow the watches and rediscovery.
 */
export function livePartialView(e: Explanation, status: LiveStatus, snapshot: Snapshot, root: string): Explanation {
  const admitted = admittedObjects(admittedByCluster(snapshot.findings)).gaps;
  return applyAdmittedGaps(applyPartialView(e, status, root), admitted, root);
}

/**
 * What `:lint` lists for a live Snapshot, as `meshdbg lint` on a cluster (load-snapshot.ts): the
 * errors lint finds in objects the API server admitted are warnings (admitted-objects.ts).
 */
export function liveLoadFindings(snapshot: Snapshot): Finding[] {
  return admittedObjects(admittedByCluster(snapshot.findings)).findings;
}
