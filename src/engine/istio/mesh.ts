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

export const XDS_PORT = 15012;

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

function dnsCheck(
  snapshot: Snapshot,
  side: MeshSide,
  reach: ReachabilityCheck,
): { finding: ExplanationFinding; condition: Condition } | null {
  const dns = kubeDns(snapshot);
  const r = reach({ type: 'pod', pod: side.pod }, { type: 'pod', pod: dns }, 'UDP', 53);
  if (r.allowed) return null;
  const who = `${side.pod.namespace}/${side.pod.name}`;
  return {
    finding: {
      severity: 'warning',
      code: 'dns-egress-blocked',
      message: `${who} (${side.role}) cannot reach kube-dns on UDP 53 under NetworkPolicy (${r.summary}); it works only if DNS is served node-locally or by Istio's DNS proxy`,
      object: { kind: 'Pod', namespace: side.pod.namespace, name: side.pod.name },
    },
    condition: {
      code: 'dns-egress-blocked',
      message: `${who} has no DNS egress; name resolution must come from a node-local cache or Istio's DNS proxy`,
    },
  };
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
  const notes: string[] = [];
  const assumptions: { code: string; message: string }[] = [];
  const failures: { side: MeshSide; policies: readonly PolicyMention[]; summary: string }[] = [];
  const ok: string[] = [];
  let istiod = istiodFor(snapshot, fallbackPod ? revisionOf(snapshot, fallbackPod) : 'default').pod;
  for (const side of sides) {
    const rev = revisionOf(snapshot, side.pod);
    const choice = istiodFor(snapshot, rev);
    if (side.role === 'destination' || sides.length === 1) istiod = choice.pod;
    if (choice.assumed) {
      const message = `no istiod in the input: assumed a standard one in ${choice.pod.namespace} (labels app: istiod, istio: pilot, revision ${rev})`;
      if (!assumptions.some((a) => a.message === message)) assumptions.push({ code: 'istiod-assumed', message });
    }
    const r = reach({ type: 'pod', pod: side.pod }, { type: 'pod', pod: choice.pod }, 'TCP', XDS_PORT);
    if (r.allowed) ok.push(`${side.role} sidecar reaches istiod (${rev}) on ${XDS_PORT}`);
    else {
      failures.push({ side, policies: r.policies, summary: r.summary });
      fix.push(...istiodFixes(side.pod, choice.pod, r.policies));
    }
    const dns = dnsCheck(snapshot, side, reach);
    if (dns) {
      findings.push(dns.finding);
      conditions.push(dns.condition);
    }
  }
  const base = { findings, conditions, fix, notes: [...new Set(notes)], assumptions, istiod };
  if (sides.length === 0)
    return {
      ...base,
      response: null,
      step: {
        layer: 'mesh',
        verdict: 'not-applicable',
        effective: true,
        summary: 'no sidecar in the path',
        policies: [],
      },
    };
  const failed = failures[0];
  if (!failed)
    return {
      ...base,
      response: null,
      step: { layer: 'mesh', verdict: 'allowed', effective: true, summary: ok.join('; '), policies: [] },
    };
  const text = failures
    .map(
      (f) =>
        `${f.side.role} sidecar ${f.side.pod.namespace}/${f.side.pod.name} cannot reach istiod on TCP ${XDS_PORT} (${f.summary}): its proxy gets no config or certificates`,
    )
    .join('; ');
  const clientHasSidecar = sides.some((s) => s.role === 'source');
  const response =
    failed.side.role === 'source' ? clientProxyWithoutConfig() : serverProxyWithoutConfig(clientHasSidecar);
  return {
    ...base,
    response,
    step: {
      layer: 'mesh',
      verdict: 'denied',
      effective: true,
      summary: text,
      // one failure: its list as it is (canConnect's, shared by every flow through this sidecar)
      policies: failures.length === 1 ? failed.policies : failures.flatMap((f) => f.policies),
    },
  };
}
