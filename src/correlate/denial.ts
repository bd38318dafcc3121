/**
 * The Denial record (`meshdbg denials -o json`, one per line): one denied request or flow,
 * correlated to its policy rule, with repeats counted. Field names are the JSON output's.
 */
import type { Layer, PolicyMention, RuleMiss } from '../engine/index.js';

/** How a log address or identity was tied to an object of the Snapshot. */
export type ResolvedBy =
  'ip' | 'principal' | 'sni' | 'authority' | 'log-origin' | 'policy-scope' | 'calico-flow' | 'log';

export interface DenialPeer {
  readonly namespace: string | null;
  /** pod, workload or service-account name; null when only an address is known */
  readonly name: string | null;
  /** `Pod`, a workload kind (`Deployment`), `ServiceAccount`, `Service`, `IP`, `App` (only an `app` label value is known: Mixer's rbacsamplelog) */
  readonly kind: string;
  /** `Deployment/backend` when the pod belongs to a workload */
  readonly workload: string | null;
  readonly ip: string | null;
  /** `cluster.local/ns/a/sa/b` (no `spiffe://`) when the log printed a peer certificate */
  readonly principal: string | null;
  readonly resolvedBy: ResolvedBy;
  /** true when resolved by IP only: the IP may have changed owner since the log line */
  readonly ipMayHaveChanged: boolean;
}

export interface DenialRequest {
  readonly protocol: 'HTTP' | 'TCP' | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly host: string | null;
  /** the port the destination received (container port), when printed */
  readonly port: number | null;
  readonly sni: string | null;
  /** HTTP status the client got, or null (TCP close, unknown) */
  readonly status: number | null;
}

export type DenialCause =
  | 'rbac' // AuthorizationPolicy via Envoy RBAC
  | 'ext-authz'
  | 'jwt'
  | 'upstream-failure' // a 503/504 at the client sidecar, classified by reason
  | 'mtls' // STRICT mTLS refused a plaintext connection (NR filter_chain_not_found)
  | 'ztunnel' // ambient: the destination ztunnel refused the connection
  | 'calico-flow'
  | 'calico-log' // eBPF verdict, iptables LOG or felix policy line
  | 'kube-router'; // a packet kube-router logged to NFLOG before rejecting it

/**
 * How sure the policy attribution is: `exact` the rule id is in the line; `policy` the policy is
 * named but not the rule; `inferred` rebuilt by the engine from the request and the Snapshot;
 * `unknown` nothing names it.
 */
export type Attribution = 'exact' | 'policy' | 'inferred' | 'unknown';

/** Who printed the denial. */
export type ReporterKind = 'sidecar' | 'gateway' | 'waypoint' | 'envoy' | 'ztunnel' | 'calico' | 'kube-router';

export interface DenialReporter {
  readonly kind: ReporterKind;
  /** the pod that printed it, when the log origin (kubectl --prefix, stern, the follower) says */
  readonly pod: string | null;
}

export interface Denial {
  readonly kind: 'Denial';
  /** time of the first occurrence, as printed */
  readonly time: string | null;
  readonly lastTime: string | null;
  readonly source: DenialPeer | 'unknown';
  readonly destination: DenialPeer | 'unknown';
  readonly request: DenialRequest;
  readonly cause: DenialCause;
  readonly layer: Layer | null;
  readonly policy: PolicyMention | null;
  readonly ruleRef: string | null;
  /** the policy id the proxy printed (may differ from ruleRef when the Snapshot lacks it) */
  readonly policyId: string | null;
  /** false: the proxy enforces a policy the Snapshot does not have; null: no Snapshot or no policy */
  readonly policyInSnapshot: boolean | null;
  readonly enforcement: 'enforced' | 'shadow';
  readonly attribution: Attribution;
  /**
   * `certain`: the line says it is a denial; `likely`: a 401/403 without response details (the
   * application may have answered it), or a Calico `Log` rule hit (Log does not decide)
   */
  readonly confidence: 'certain' | 'likely';
  readonly reporter: DenialReporter | null;
  /** Calico: the tier of the deciding policy hit */
  readonly tier?: string;
  readonly count: number;
  /** one line for users */
  readonly reason: string;
  /** the rule's YAML, attached by the command layer when the Snapshot has the policy */
  readonly policyYaml?: string | null;
  /** for `matched policy none` and NetworkPolicy-consistent 503s: why the nearest rules missed */
  readonly nearestMiss: readonly RuleMiss[];
  /** true when the request fields came from a join without thread ids */
  readonly heuristicJoin: boolean;
  /** redacted log lines of the first occurrence */
  readonly evidence: readonly string[];
  /** the engine's Explanation of the rebuilt request, when one was computed */
  readonly explanation?: unknown;
}
