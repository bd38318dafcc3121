/**
 * Effective PeerAuthentication mode for a workload port: workload (selector) > namespace >
 * mesh (root namespace, no selector); portLevelMtls beats the workload mode; UNSET inherits,
 * PERMISSIVE at the top (istio/api:security/v1beta1/peer_authentication.proto,
 * https://istio.io/latest/docs/concepts/security/#peer-authentication). Duplicates at one
 * level: the oldest wins, by name when timestamps are missing (istiod's own ordering).
 */
import type { Pod } from '../../model/k8s.js';
import type { MtlsMode, PeerAuthentication } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { ExplanationFinding, PolicyMention } from '../explanation.js';
import { formatRuleRef, sectionRuleRef } from '../../model/rule-ref.js';
import { isWorkloadSelector, selectorMatches } from './labels.js';
import { peerAuthenticationsIn } from './policy-index.js';

export type EffectiveMode = Exclude<MtlsMode, 'UNSET'>;

export interface PeerAuthnLevels {
  readonly mesh: PeerAuthentication | null;
  readonly namespace: PeerAuthentication | null;
  readonly workload: PeerAuthentication | null;
  readonly findings: readonly ExplanationFinding[];
}

export function oldestFirst(a: PeerAuthentication, b: PeerAuthentication): number {
  const ta = a.creationTimestamp;
  const tb = b.creationTimestamp;
  if (ta !== null && tb !== null && ta !== tb) return ta < tb ? -1 : 1;
  if ((ta === null) !== (tb === null)) return ta === null ? 1 : -1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function pick(
  list: readonly PeerAuthentication[],
  level: string,
  findings: ExplanationFinding[],
): PeerAuthentication | null {
  const sorted = [...list].sort(oldestFirst);
  const first = sorted[0] ?? null;
  if (first && sorted.length > 1) {
    findings.push({
      severity: 'warning',
      code: 'duplicate-peerauthentication',
      message: `${sorted.length} ${level} PeerAuthentications apply (${sorted.map((p) => `${p.namespace}/${p.name}`).join(', ')}); the oldest, ${first.namespace}/${first.name}, wins`,
      object: { kind: 'PeerAuthentication', namespace: first.namespace, name: first.name },
    });
  }
  return first;
}

/**
 * Per Snapshot: the levels of each namespace whose PeerAuthentications (and the root namespace's)
 * select no workload, which are then the same for every pod of it, and of each other pod.
 */
const levelsMemo = new WeakMap<
  Snapshot,
  { byNamespace: Map<string, PeerAuthnLevels>; byPod: WeakMap<Pod, PeerAuthnLevels> }
>();

export function peerAuthnLevels(snapshot: Snapshot, pod: Pod): PeerAuthnLevels {
  let memo = levelsMemo.get(snapshot);
  if (!memo) levelsMemo.set(snapshot, (memo = { byNamespace: new Map(), byPod: new WeakMap() }));
  const root = snapshot.istio.mesh.rootNamespace;
  const selecting = (list: readonly PeerAuthentication[]): boolean => list.some((p) => isWorkloadSelector(p.selector));
  const namespaceWide =
    !selecting(peerAuthenticationsIn(snapshot, pod.namespace)) && !selecting(peerAuthenticationsIn(snapshot, root));
  const known = namespaceWide ? memo.byNamespace.get(pod.namespace) : memo.byPod.get(pod);
  if (known) return known;
  const levels = readLevels(snapshot, pod);
  if (namespaceWide) memo.byNamespace.set(pod.namespace, levels);
  else memo.byPod.set(pod, levels);
  return levels;
}

function readLevels(snapshot: Snapshot, pod: Pod): PeerAuthnLevels {
  const root = snapshot.istio.mesh.rootNamespace;
  const findings: ExplanationFinding[] = [];
  const rootPolicies = peerAuthenticationsIn(snapshot, root);
  const own = peerAuthenticationsIn(snapshot, pod.namespace);
  const mesh = pick(
    rootPolicies.filter((p) => !isWorkloadSelector(p.selector)),
    'mesh-wide',
    findings,
  );
  const namespace =
    pod.namespace === root
      ? null
      : pick(
          own.filter((p) => !isWorkloadSelector(p.selector)),
          'namespace-wide',
          findings,
        );
  const workload = pick(
    own.filter((p) => isWorkloadSelector(p.selector) && selectorMatches(p.selector, pod.labels)),
    'workload',
    findings,
  );
  if (pod.namespace !== root) {
    for (const p of rootPolicies.filter(
      (r) => isWorkloadSelector(r.selector) && selectorMatches(r.selector, pod.labels),
    )) {
      findings.push({
        severity: 'warning',
        code: 'root-peerauthentication-selector',
        message: `PeerAuthentication ${p.namespace}/${p.name} selects this workload from the root namespace; a root-namespace policy with a selector is ignored here`,
        object: { kind: 'PeerAuthentication', namespace: p.namespace, name: p.name },
      });
    }
  }
  return { mesh, namespace, workload, findings };
}

function set(mode: MtlsMode | null | undefined): EffectiveMode | null {
  return mode === null || mode === undefined || mode === 'UNSET' ? null : mode;
}

export interface ServerMode {
  readonly mode: EffectiveMode;
  /** the mode the mesh/namespace level alone gives (what auto-mTLS looks at) */
  readonly namespaceMode: EffectiveMode;
  /** the workload PeerAuthentication's portLevelMtls mode for this port, when it sets one */
  readonly portLevelMode: EffectiveMode | null;
  readonly policies: readonly PolicyMention[];
  readonly findings: readonly ExplanationFinding[];
}

function mention(p: PeerAuthentication, port: number | null): PolicyMention {
  return {
    kind: 'PeerAuthentication',
    namespace: p.namespace,
    name: p.name,
    rule: null,
    ruleRef: formatRuleRef(
      port === null
        ? sectionRuleRef('PeerAuthentication', p.namespace, p.name, 'mtls', null)
        : sectionRuleRef('PeerAuthentication', p.namespace, p.name, 'portLevelMtls', port),
    ),
    ...(port === null ? {} : { port }),
  };
}

/** The mode the server enforces on `port` (null: the workload's mode, before any portLevelMtls). */
export function serverMode(snapshot: Snapshot, pod: Pod, port: number | null): ServerMode {
  const levels = peerAuthnLevels(snapshot, pod);
  let byPort = modes.get(levels);
  if (!byPort) modes.set(levels, (byPort = new Map()));
  let mode = byPort.get(port);
  if (!mode) byPort.set(port, (mode = modeOf(levels, port)));
  return mode;
}

/** Per levels (shared by the pods they apply to) and port: the mode, made once. */
const modes = new WeakMap<PeerAuthnLevels, Map<number | null, ServerMode>>();

function modeOf(levels: PeerAuthnLevels, port: number | null): ServerMode {
  const chain: [PeerAuthentication | null, EffectiveMode | null, number | null][] = [
    [levels.workload, port === null ? null : set(levels.workload?.portLevelMtls.get(port)), port],
    [levels.workload, set(levels.workload?.mode), null],
    [levels.namespace, set(levels.namespace?.mode), null],
    [levels.mesh, set(levels.mesh?.mode), null],
  ];
  const namespaceMode = set(levels.namespace?.mode) ?? set(levels.mesh?.mode) ?? 'PERMISSIVE';
  const portLevelMode = chain[0]?.[1] ?? null;
  for (const [p, mode, prt] of chain) {
    if (p && mode)
      return { mode, namespaceMode, portLevelMode, policies: [mention(p, prt)], findings: levels.findings };
  }
  return { mode: 'PERMISSIVE', namespaceMode, portLevelMode, policies: [], findings: levels.findings };
}
