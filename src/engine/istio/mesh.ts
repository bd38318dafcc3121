/**
 * The `mesh` step: every sidecar in the path must reach its istiod (revision) on TCP 15012,
 * on the sidecar's egress and istiod's ingress, or its proxy gets no config or certificates.
 * DNS egress is checked too, but only as a finding and a condition (seed 003 works without it).
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { Condition, ExpectedResponse, ExplanationFinding, Fix, PolicyMention, Step } from '../explanation.js';
import type { ReachabilityCheck } from './types.js';
import { istiodFor, kubeDns, revisionOf } from './istiod.js';
import { clientProxyWithoutConfig, serverProxyWithoutConfig } from './responses.js';
import { istiodFixes } from './fix.js';
import { isNetworkReach } from '../network-policy/evaluate.js';

export const XDS_PORT = 15012;

/** concat onto it: one copy of the lists, not flatMap's generic walk */
const NO_MENTIONS: readonly PolicyMention[] = [];

export interface MeshSide {
  readonly role: 'source' | 'destination';
  readonly pod: Pod;
}

export interface MeshOutcome {
  readonly step: Step;
  readonly response: ExpectedResponse | null;
  readonly findings: readonly ExplanationFinding[];
  readonly conditions: readonly Condition[];
  readonly fix: readonly Fix[];
  readonly notes: readonly string[];
  readonly assumptions: readonly { code: string; message: string }[];
  /** the istiod used for each side (JWKS fetches use the destination's) */
  readonly istiod: Pod;
}

/** What reaching istiod and kube-dns says about one sidecar's pod, whatever its role: made once per pod. */
interface PodFacts {
  readonly revision: string;
  readonly istiod: Pod;
  readonly assumed: string | null;
  /** null when the pod reaches istiod on XDS_PORT */
  readonly blocked: { readonly policies: readonly PolicyMention[]; readonly summary: string } | null;
  readonly fix: readonly Fix[];
  /** why the pod cannot reach kube-dns on UDP 53, or null when it can */
  readonly dnsBlocked: string | null;
}

function podFacts(snapshot: Snapshot, pod: Pod, reach: ReachabilityCheck): PodFacts {
  const revision = revisionOf(snapshot, pod);
  const choice = istiodFor(snapshot, revision);
  const assumed = choice.assumed
    ? `no istiod in the input: assumed a standard one in ${choice.pod.namespace} (labels app: istiod, istio: pilot, revision ${revision})`
    : null;
  const r = reach({ type: 'pod', pod }, { type: 'pod', pod: choice.pod }, 'TCP', XDS_PORT);
  const dns = reach({ type: 'pod', pod }, { type: 'pod', pod: kubeDns(snapshot) }, 'UDP', 53);
  return {
    revision,
    istiod: choice.pod,
    assumed,
    blocked: r.allowed ? null : { policies: r.policies, summary: r.summary },
    fix: r.allowed ? [] : istiodFixes(pod, choice.pod, r.policies),
    dnsBlocked: dns.allowed ? null : dns.summary,
  };
}

function dnsCheck(
  side: MeshSide,
  blocked: string | null,
): { finding: ExplanationFinding; condition: Condition } | null {
  if (blocked === null) return null;
  const who = `${side.pod.namespace}/${side.pod.name}`;
  return {
    finding: {
      severity: 'warning',
      code: 'dns-egress-blocked',
      message: `${who} (${side.role}) cannot reach kube-dns on UDP 53 under NetworkPolicy (${blocked}); it works only if DNS is served node-locally or by Istio's DNS proxy`,
      object: { kind: 'Pod', namespace: side.pod.namespace, name: side.pod.name },
    },
    condition: {
      code: 'dns-egress-blocked',
      message: `${who} has no DNS egress; name resolution must come from a node-local cache or Istio's DNS proxy`,
    },
  };
}

/** What one sidecar in the path contributes to the mesh step: its pod's facts, told for its role. */
interface SideFacts {
  readonly revision: string;
  readonly istiod: Pod;
  /** the istiod-assumed message, when no istiod is in the input */
  readonly assumed: string | null;
  /** `side reaches istiod` text, or null when it cannot */
  readonly ok: string | null;
  readonly failure: {
    readonly side: MeshSide;
    readonly policies: readonly PolicyMention[];
    readonly summary: string;
  } | null;
  readonly fix: readonly Fix[];
  readonly dns: { finding: ExplanationFinding; condition: Condition } | null;
}

function sideFacts(side: MeshSide, facts: PodFacts): SideFacts {
  const { revision, istiod, assumed, blocked, fix } = facts;
  return {
    revision,
    istiod,
    assumed,
    ok: blocked === null ? `${side.role} sidecar reaches istiod (${revision}) on ${XDS_PORT}` : null,
    failure: blocked === null ? null : { side, policies: blocked.policies, summary: blocked.summary },
    fix,
    dns: dnsCheck(side, facts.dnsBlocked),
  };
}

/**
 * Per canonical reachability function (network-policy/evaluate.ts networkReach: one per Snapshot
 * and CNI) and pod: the pod's facts and each role's, so a sidecar's mesh facts are made once,
 * not per flow, and its reachability once for both roles. A caller with its own `reach` (tests) is
 * never answered from it.
 */
const sideMemo = new WeakMap<
  ReachabilityCheck,
  WeakMap<Pod, { pod?: PodFacts; source?: SideFacts; destination?: SideFacts }>
>();

function factsOf(snapshot: Snapshot, side: MeshSide, reach: ReachabilityCheck): SideFacts {
  if (!isNetworkReach(reach)) return sideFacts(side, podFacts(snapshot, side.pod, reach));
  let byPod = sideMemo.get(reach);
  if (!byPod) sideMemo.set(reach, (byPod = new WeakMap()));
  let byRole = byPod.get(side.pod);
  if (!byRole) byPod.set(side.pod, (byRole = {}));
  return (byRole[side.role] ??= sideFacts(side, (byRole.pod ??= podFacts(snapshot, side.pod, reach))));
}

export function evaluateMesh(
  snapshot: Snapshot,
  sides: readonly MeshSide[],
  fallbackPod: Pod | null,
  reach: ReachabilityCheck,
): MeshOutcome {
  const findings: ExplanationFinding[] = [];
  const conditions: Condition[] = [];
  const fix: Fix[] = [];
  const assumptions: { code: string; message: string }[] = [];
  const failures: { side: MeshSide; policies: readonly PolicyMention[]; summary: string }[] = [];
  const ok: string[] = [];
  let istiod: Pod | null = null;
  for (const side of sides) {
    const facts = factsOf(snapshot, side, reach);
    if (side.role === 'destination' || sides.length === 1) istiod = facts.istiod;
    const message = facts.assumed;
    if (message !== null && !assumptions.some((a) => a.message === message))
      assumptions.push({ code: 'istiod-assumed', message });
    if (facts.ok !== null) ok.push(facts.ok);
    if (facts.failure !== null) failures.push(facts.failure);
    for (const f of facts.fix) fix.push(f);
    if (facts.dns) {
      findings.push(facts.dns.finding);
      conditions.push(facts.dns.condition);
    }
  }
  // no side chose one (none in the path, or a source-only path of two sides): the fallback pod's
  istiod ??= istiodFor(snapshot, fallbackPod ? revisionOf(snapshot, fallbackPod) : 'default').pod;
  // written out, not spread from a shared base: this runs for every flow
  const outcome = (step: Step, response: ExpectedResponse | null): MeshOutcome => ({
    findings,
    conditions,
    fix,
    notes: [],
    assumptions,
    istiod: istiod as Pod,
    response,
    step,
  });
  if (sides.length === 0)
    return outcome(
      { layer: 'mesh', verdict: 'not-applicable', effective: true, summary: 'no sidecar in the path', policies: [] },
      null,
    );
  const failed = failures[0];
  if (!failed)
    return outcome(
      {
        layer: 'mesh',
        verdict: 'allowed',
        effective: true,
        summary: ok.join('; '),
        policies: [],
      },
      null,
    );
  const text = failures
    .map(
      (f) =>
        `${f.side.role} sidecar ${f.side.pod.namespace}/${f.side.pod.name} cannot reach istiod on TCP ${XDS_PORT} (${f.summary}): its proxy gets no config or certificates`,
    )
    .join('; ');
  const clientHasSidecar = sides.some((s) => s.role === 'source');
  const response =
    failed.side.role === 'source' ? clientProxyWithoutConfig() : serverProxyWithoutConfig(clientHasSidecar);
  return outcome(
    {
      layer: 'mesh',
      verdict: 'denied',
      effective: true,
      summary: text,
      // one failure: its list as it is (canConnect's, shared by every flow through this sidecar)
      policies: failures.length === 1 ? failed.policies : NO_MENTIONS.concat(...failures.map((f) => f.policies)),
    },
    response,
  );
}
