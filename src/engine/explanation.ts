/**
 * The explain contract (apiVersion meshdbg.dev/v1alpha1): the query the engine answers
 * and the Explanation it returns. Field names are the JSON output's.
 */
import type { Protocol } from '../model/k8s.js';
import type { Cni } from '../model/snapshot.js';
import type { Severity, FindingCode } from '../model/findings.js';

export const API_VERSION = 'meshdbg.dev/v1alpha1';

/** A peer as the user wrote it: `ns/name`, `kind/name.ns`, ..., or structured. */
export type PeerSpec =
  string | { readonly namespace?: string; readonly kind?: string; readonly name: string } | { readonly ip: string };

export interface HttpRequestSpec {
  readonly method: string | null;
  readonly path: string | null;
  readonly host: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export type JwtSpec = { readonly token: string } | { readonly claims: Readonly<Record<string, unknown>> };

/** echoed back as given (a string or a number) */
export type QueryId = string | number | null;

export interface ExplainQuery {
  readonly id: QueryId;
  readonly src: PeerSpec;
  readonly dst: PeerSpec;
  readonly port: number | null;
  readonly protocol: Protocol | null;
  readonly http: HttpRequestSpec | null;
  /** override of the computed client TLS */
  readonly mtls: boolean | null;
  readonly jwt: JwtSpec | null;
  readonly extAuthz: 'allow' | 'deny' | null;
  /** RFC3339; chosen by the command layer (the engine has no clock). */
  readonly now: string | null;
  readonly resolve: Readonly<Record<string, readonly string[]>>;
  /** namespace for bare names (-n) */
  readonly namespace: string | null;
  readonly cni: Cni | null;
}

export type Verdict = 'allowed' | 'denied' | 'conditional' | 'unsupported';
export type StepVerdict = 'allowed' | 'denied' | 'not-applicable' | 'conditional';

export type Layer =
  | 'networkpolicy-egress'
  | 'networkpolicy-ingress'
  | 'mesh'
  | 'mtls'
  | 'authz-custom'
  | 'jwt'
  | 'authz-deny'
  | 'authz-allow';

export const LAYERS: readonly Layer[] = [
  'networkpolicy-egress',
  'networkpolicy-ingress',
  'mesh',
  'mtls',
  'authz-custom',
  'jwt',
  'authz-deny',
  'authz-allow',
];

/**
 * What a policy did in a step, in the past tense of step verdicts: a rule `allowed`, `denied` or
 * `passed` (ANP Pass) the flow; `isolated` (a NetworkPolicy selects the pod and no rule allows);
 * `audited` (AUDIT); `shadow` (dry-run, never decides); `no-match`; `unknown` (may match);
 * `ext-authz` (CUSTOM, the external authorizer decides); Calico adds `end-of-tier` (no policy of
 * the tier matched: the tier denies), `logged` (a Log rule, evaluation goes on) and, for a staged
 * policy that would decide differently, `shadow-` before what it would do.
 */
export type PolicyEffect =
  | 'allowed'
  | 'denied'
  | 'passed'
  | 'isolated'
  | 'audited'
  | 'shadow'
  | 'no-match'
  | 'unknown'
  | 'ext-authz'
  | 'end-of-tier'
  | 'logged'
  | `shadow-${CalicoDecidingEffect}`;

/** What decides a Calico direction: a rule allowed or denied, the end of a tier, or a rule that may match. */
export type CalicoDecidingEffect = 'allowed' | 'denied' | 'end-of-tier' | 'unknown';

export interface PolicyMention {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  /** null when the decision came from isolation or a default. */
  readonly rule: number | null;
  readonly ruleRef: string;
  /** NetworkPolicy tiers: admin / networkpolicy / baseline, or the Calico tier the policy is in */
  readonly tier?: 'admin' | 'networkpolicy' | 'baseline' | (string & {});
  readonly port?: number;
  readonly effect?: PolicyEffect;
}

export interface Clause {
  readonly field: string;
  readonly ok: boolean;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** Why one policy rule did not match this request. */
export interface RuleMiss {
  readonly policy: PolicyMention;
  readonly clauses: readonly Clause[];
}

export interface Step {
  readonly layer: Layer;
  readonly verdict: StepVerdict;
  /** false once an earlier layer denied: reported, but traffic never gets here. */
  readonly effective: boolean;
  readonly summary: string;
  readonly policies: readonly PolicyMention[];
  /** per-rule detail of what failed, for isolated sides and ALLOW misses */
  readonly misses?: readonly RuleMiss[];
  /** networkpolicy steps: the policy tier that decided */
  readonly tier?: 'admin' | 'networkpolicy' | 'baseline' | 'default' | 'self' | 'node' | 'calico';
  /** mtls: the mode the server enforces on the port, and what the client sends */
  readonly serverMode?: 'STRICT' | 'PERMISSIVE' | 'DISABLE' | null;
  readonly clientTls?: RequestInfo['clientTls'];
  /** ambient: the hop (source pod -> waypoint -> destination) a networkpolicy step checks */
  readonly hop?: string;
  /** who enforces the step (README "Ambient mode"); absent on sidecar-only flows */
  readonly enforcer?: Enforcer;
  readonly waypoint?: { readonly namespace: string; readonly name: string };
}

/** The proxy that enforces a layer: a sidecar Envoy, the node's ztunnel, or a waypoint Envoy. */
export type Enforcer = 'sidecar' | 'ztunnel' | 'waypoint';
/** The extras a layer may add to its step. */
export type StepExtras = Pick<Step, 'misses' | 'tier' | 'serverMode' | 'clientTls' | 'hop' | 'enforcer' | 'waypoint'>;

export interface PeerInfo {
  readonly namespace: string | null;
  readonly name: string;
  readonly kind: string;
  readonly workload: string | null;
  readonly resolvedFrom: 'service' | 'workload' | 'pod' | 'ip';
  readonly serviceAccount: string | null;
  readonly principal: string | null;
  readonly sidecar: boolean;
  /** `ambient` for a pod captured by ztunnel (absent otherwise: see `sidecar`) */
  readonly dataplane?: 'ambient';
  readonly ip: string | null;
  /** the Service a destination resolved to, when any */
  readonly service?: string;
}

export interface RequestInfo {
  readonly protocol: Protocol;
  readonly port: number;
  readonly servicePort: number | null;
  readonly appProtocol: string | null;
  readonly http: HttpRequestSpec | null;
  readonly clientTls: 'istio-mutual' | 'plaintext' | 'simple' | 'mutual' | null;
  readonly jwt: Readonly<Record<string, unknown>> | null;
  readonly now: string | null;
}

export interface Condition {
  readonly code:
    | 'unmodelled-policy'
    | 'ext-authz-unknown'
    | 'jwks-unresolved'
    | 'partial-view'
    | 'node-placement-unknown'
    | 'ambient'
    | string;
  readonly message: string;
}

export interface ExplanationFinding {
  readonly severity: Severity;
  readonly code: FindingCode | string;
  readonly message: string;
  readonly object: { kind: string; namespace: string | null; name: string } | null;
}

export interface Fix {
  readonly why: string;
  readonly action: 'create' | 'patch' | 'manual';
  readonly target: { kind: string; namespace: string | null; name: string };
  readonly yaml: string;
}

export interface ExpectedResponse {
  readonly status: number | 'connect-timeout' | 'connection-refused' | 'connection-reset' | 'connected';
  readonly body: string | null;
  readonly flags: string | null;
  readonly details: string | null;
}

export interface Explanation {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'Explanation';
  readonly id: QueryId;
  readonly source: PeerInfo;
  readonly destination: PeerInfo;
  readonly request: RequestInfo;
  readonly verdict: Verdict;
  readonly conditions: readonly Condition[];
  readonly assumptions: readonly { code: string; message: string }[];
  readonly decidedBy: {
    layer: Layer;
    policy: PolicyMention | null;
    /** ambient mode (README "Ambient mode"): who enforced the deciding step */
    enforcer?: Enforcer;
    waypoint?: { namespace: string; name: string };
  } | null;
  readonly expectedResponse: ExpectedResponse;
  readonly steps: readonly Step[];
  readonly nearestMiss: readonly RuleMiss[];
  readonly findings: readonly ExplanationFinding[];
  readonly fix: readonly Fix[];
  /** human notes: resolution choices, overrides, evaluation caveats */
  readonly notes: readonly string[];
}

export interface ExplainError {
  readonly kind: 'Error';
  readonly id: QueryId;
  readonly code: 'unknown-peer' | 'ambiguous-peer' | 'bad-query' | 'port-required' | string;
  readonly message: string;
  readonly candidates: readonly string[];
}
