/**
 * A 503/504 at the client sidecar: classified by its failure reason first, and only then related
 * to the NetworkPolicy, mTLS or authorization steps the engine computes for the pair, worded
 * "consistent with".
 */
import type { Explanation, Layer, PolicyMention, RuleMiss, Step } from '../engine/index.js';
import type { UpstreamFailureReason } from '../parsers/log-event.js';

export const FAILURE_WORDING: Readonly<Record<UpstreamFailureReason, string>> = {
  'connection-timeout':
    'connection timeout: consistent with a DROP-style NetworkPolicy (Calico, Cilium) or an unreachable IP',
  'connection-refused':
    'connection refused: consistent with a REJECT-style NetworkPolicy (kube-router), nothing listening on the port, or a proxy with no config',
  tls: 'TLS failure: consistent with an mTLS mismatch (client and server disagree on Istio mTLS)',
  // Istio's docs name both causes: "reset reason: connection termination can indicate an authorization
  // policy with HTTP only fields applied to TCP traffic" (istio/istio.io content/en/docs/ops/common-problems/
  // security-issues/index.md); a TCP-level RBAC denial closes the connection (envoyproxy docs, RBAC network filter)
  'connection-termination':
    'connection terminated by the upstream: consistent with an mTLS mismatch (plaintext to a STRICT server) or an authorization policy applied to TCP traffic at the destination (it closes the connection instead of answering 403)',
  'no-healthy-upstream': 'no healthy upstream: the Service has no ready endpoints',
  'response-timeout': 'upstream response timeout: the destination accepted but answered too slowly',
  'connection-failure':
    'upstream connection failure (older Envoy gives no reason): consistent with a NetworkPolicy drop or an unreachable IP',
  reset: 'upstream reset the stream',
  overflow: 'circuit breaker overflow',
};

/** The engine steps that can end in a failure the client sees, and what the text calls them. */
interface RelatedSteps {
  readonly layers: readonly Layer[];
  readonly what: string;
}

const NETWORK: RelatedSteps = { layers: ['networkpolicy-egress', 'networkpolicy-ingress'], what: 'NetworkPolicies' };

/** Per failure; a failure without an entry is related to no step the engine computes. */
const RELATED: Readonly<Partial<Record<UpstreamFailureReason, RelatedSteps>>> = {
  'connection-timeout': NETWORK,
  'connection-refused': NETWORK,
  'connection-failure': NETWORK,
  tls: { layers: ['mtls'], what: 'mTLS settings' },
  'connection-termination': {
    layers: ['mtls', 'authz-custom', 'authz-deny', 'authz-allow'],
    what: 'mTLS settings and authorization policies',
  },
};

export interface UpstreamRelation {
  readonly layer: Layer | null;
  readonly policy: PolicyMention | null;
  readonly nearestMiss: readonly RuleMiss[];
  readonly reason: string;
}

function deniedStep(e: Explanation, layers: readonly Layer[]): Step | undefined {
  return e.steps.find((s) => layers.includes(s.layer) && s.verdict === 'denied');
}

function describe(step: Step): string {
  const p = step.policies[0];
  const where =
    step.layer === 'networkpolicy-egress'
      ? 'egress of the source'
      : step.layer === 'networkpolicy-ingress'
        ? 'ingress of the destination'
        : step.layer;
  return p ? `${p.kind} ${p.namespace ?? ''}${p.namespace ? '/' : ''}${p.name} (${where})` : `the ${where}`;
}

/** Relates a classified failure to the engine's steps for the pair (when an Explanation exists). */
export function relateUpstreamFailure(
  reason: UpstreamFailureReason,
  explanation: Explanation | null,
): UpstreamRelation {
  const base = FAILURE_WORDING[reason];
  const related = RELATED[reason];
  if (related === undefined || explanation === null)
    return { layer: null, policy: null, nearestMiss: [], reason: base };
  const step = deniedStep(explanation, related.layers);
  if (step === undefined) {
    return {
      layer: null,
      policy: null,
      nearestMiss: [],
      reason: `${base}; the ${related.what} in the input allow this pair, so look elsewhere`,
    };
  }
  return {
    layer: step.layer,
    policy: step.policies[0] ?? null,
    nearestMiss: step.misses ?? [],
    reason: `${base}; consistent with ${describe(step)}`,
  };
}
