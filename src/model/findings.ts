import type { ObjectRef, SourceLocation } from './k8s.js';
import { cutLongValues } from '../util/cut-text.js';

/**
 * `FILE:LINE: ` before a message about what was read at `loc` (`line` overrides its line), `FILE: `
 * without a line, nothing without a file.
 */
export function placePrefix(loc: SourceLocation | null | undefined, line: number | null = loc?.line ?? null): string {
  return loc ? `${loc.file}${line ? `:${line}` : ''}: ` : '';
}

/** `KIND NS/NAME`, or `KIND NAME` for a cluster-scoped object, as messages name an object. */
export function objectLabel(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/**
 * error: the API server would reject it (exit 2).
 * refused: the spec leaves it undefined (exit 2).
 * warning / info: reported, exit 0 unless --failure-threshold.
 */
export type Severity = 'error' | 'refused' | 'warning' | 'info';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, refused: 2, error: 3 };

/** The one registry of finding codes shared by lint, explain and the TUI. */
export const FINDING_CODES = {
  'yaml-syntax': { severity: 'error', summary: 'the file is not valid YAML or JSON' },
  'skipped-file': { severity: 'warning', summary: 'a FIFO, socket or device under a --from directory was not read' },
  'yaml-alias-bomb': { severity: 'error', summary: 'YAML aliases expand beyond the allowed size' },
  // unreadable like yaml-syntax: recursive parsers overflow the stack (limit in util/nesting-depth.ts)
  'nesting-too-deep': { severity: 'error', summary: 'a document nests lists/maps deeper than meshdbg reads' },
  'not-an-object': { severity: 'error', summary: 'a document is not a Kubernetes object' },
  // kubectl: "no matches for kind" (model/convert/kinds.ts unservedKindReason)
  'unserved-kind': { severity: 'error', summary: 'an apiVersion/kind no API server serves; kubectl apply refuses it' },
  // strict field validation (model/convert/unknown-fields.ts)
  'unknown-field': { severity: 'error', summary: 'a field the API server does not know; kubectl apply refuses it' },
  'missing-field': { severity: 'error', summary: 'a required field is missing' },
  'invalid-field': { severity: 'error', summary: 'a field has a value the API server rejects' },
  'invalid-cidr': { severity: 'error', summary: 'an ipBlock or network is not a valid CIDR' },
  'except-outside-cidr': { severity: 'error', summary: 'an ipBlock except entry is not inside its cidr' },
  'invalid-selector': { severity: 'error', summary: 'a label selector has a bad operator, key or value' },
  'invalid-label': { severity: 'error', summary: 'a label key or value is not valid' },
  'invalid-port': { severity: 'error', summary: 'a port is out of range, malformed, or endPort is misused' },
  'invalid-protocol': { severity: 'error', summary: 'a protocol is not TCP, UDP or SCTP' },
  // valid for the API server (kubernetes/kubernetes pkg/apis/networking/validation/validation.go
  // ValidateNetworkPolicyPort/Peer check each alone); evaluated, see engine/network-policy/kubernetes.ts
  'named-port-with-ipblock': {
    severity: 'warning',
    summary: 'an egress named port with an ipBlock peer matches only in-cluster pods inside the block',
  },
  'empty-peer': { severity: 'error', summary: 'a rule peer sets nothing' },
  'invalid-peer': { severity: 'error', summary: 'a rule peer combines fields the API does not allow' },
  'invalid-action': { severity: 'error', summary: 'an admin policy rule has an unknown action' },
  'invalid-priority': { severity: 'error', summary: 'an AdminNetworkPolicy priority is outside 0..1000' },
  'invalid-subject': { severity: 'error', summary: 'an admin policy subject is empty or sets both forms' },
  'banp-name': { severity: 'error', summary: 'a BaselineAdminNetworkPolicy is not named default' },
  'duplicate-object': { severity: 'error', summary: 'two objects have the same kind, namespace and name' },
  'too-many-rules': { severity: 'error', summary: 'an admin policy has more than 100 rules in one direction' },
  'anp-same-priority': { severity: 'refused', summary: 'two AdminNetworkPolicies share a priority (undefined order)' },
  'multiple-banp': { severity: 'refused', summary: 'more than one BaselineAdminNetworkPolicy' },
  'inconsistent-owner-pods': {
    severity: 'refused',
    summary: 'pods of one workload differ in labels a policy selects on',
  },
  'invalid-name': {
    severity: 'warning',
    summary: 'metadata.name is not a valid DNS name; the API server would reject the object',
  },
  'peer-or-not-and': { severity: 'warning', summary: 'namespaceSelector and podSelector in separate peers are ORed' },
  'egress-without-policytypes': {
    severity: 'warning',
    summary: 'egress rules without policyTypes: Egress isolation depends on them',
  },
  'selector-matches-nothing': { severity: 'warning', summary: 'a policy selects no pod in the input' },
  'unmodelled-policy': { severity: 'warning', summary: 'a policy kind meshdbg detects but does not evaluate' },
  'unsupported-peer': { severity: 'warning', summary: 'a peer type meshdbg does not evaluate' },
  // Istio (security.istio.io and friends)
  'legacy-servicerole': {
    severity: 'warning',
    summary: 'rbac.istio.io/v1alpha1 RBAC kinds were removed in Istio 1.6 and do nothing',
  },
  'nonexistent-istio-kind': {
    severity: 'error',
    summary: 'a kind that never existed in its Istio API group (e.g. security.istio.io ServiceRole)',
  },
  'legacy-istio-authn': {
    severity: 'warning',
    summary: 'authentication.istio.io/v1alpha1 Policy/MeshPolicy were removed in Istio 1.6',
  },
  'unknown-istio-annotation': {
    severity: 'warning',
    summary: 'a sidecar.istio.io annotation Istio does not define (e.g. proxyLogLevel)',
  },
  'duplicate-peerauthentication': {
    severity: 'warning',
    summary: 'several PeerAuthentications apply at one level; the oldest wins',
  },
  'root-peerauthentication-selector': {
    severity: 'warning',
    summary: 'a root-namespace PeerAuthentication with a selector is not mesh-wide',
  },
  'targetref-matches-nothing': { severity: 'warning', summary: 'a targetRefs entry names no object in the input' },
  'targetref-waypoint-only': {
    severity: 'warning',
    summary: 'a Service/ServiceEntry targetRef is enforced by waypoints only, never by sidecars',
  },
  'identity-without-mtls': {
    severity: 'warning',
    summary: 'a rule uses principals/namespaces for a workload that accepts plaintext',
  },
  'http-field-on-tcp-port': {
    severity: 'warning',
    summary: 'a rule uses HTTP-only fields on a workload port that is TCP',
  },
  // istiod's webhook rejects it (pkg/config/security/security.go ValidateAttribute "unknown attribute");
  // a policy that reached istiod anyway has the rule skipped, as explain evaluates it
  'unknown-when-key': {
    severity: 'error',
    summary: 'an AuthorizationPolicy condition key Istio does not know',
  },
  // Istio's validating webhook rejects these (istio/istio pkg/config/validation/validation.go; the
  // function is named in each message and in model/convert/istio-validate-*.ts)
  'invalid-istio-annotation': {
    severity: 'error',
    summary: 'istio.io/dry-run on a kind or action that does not take it, or an internal.istio.io annotation',
  },
  'invalid-workload-selector': { severity: 'error', summary: 'an Istio selector has an empty key or a wildcard' },
  'invalid-targetref': {
    severity: 'error',
    summary: 'a targetRef has no name, a namespace, or a kind other than Service/ServiceEntry/Gateway/GatewayClass',
  },
  'empty-rule-part': {
    severity: 'error',
    summary: 'a rule has a from/to item with an empty or missing source/operation',
  },
  'empty-value': { severity: 'error', summary: 'an AuthorizationPolicy list holds an empty string' },
  'invalid-path-template': { severity: 'error', summary: 'a path uses {*}/{**} in a way Istio does not support' },
  'invalid-when': {
    severity: 'error',
    summary: 'a when condition has no key, no values, or values its key does not take',
  },
  'invalid-jwt-rule': { severity: 'error', summary: 'a RequestAuthentication jwtRule istiod rejects' },
  'invalid-sidecar': { severity: 'error', summary: 'a Sidecar istiod rejects (ValidateSidecar)' },
  // the webhook's warnings, which istioctl analyze reports as IST0133 (SchemaValidationError's warning form)
  'empty-workload-selector': {
    severity: 'warning',
    summary: 'a selector without labels selects every workload in its namespace',
    ist: 'IST0133',
  },
  'deny-http-only': {
    severity: 'warning',
    summary: 'a DENY rule with only HTTP attributes denies all traffic to TCP ports in its scope',
    ist: 'IST0133',
  },
  // istioctl analyze's analyzers (istio/istio pkg/config/analysis/analyzers), as warnings or info
  'no-matching-workloads': {
    severity: 'warning',
    summary: 'an AuthorizationPolicy selects no in-mesh workload (or, namespace-wide, its namespace has none)',
    ist: 'IST0127',
  },
  'namespace-not-found': {
    severity: 'warning',
    summary: 'a source namespaces/notNamespaces entry matches no namespace of the input',
    ist: 'IST0101',
  },
  'namespace-not-injected': {
    severity: 'info',
    summary: 'a namespace has no istio-injection or istio.io/rev label',
    ist: 'IST0102',
  },
  'pod-missing-proxy': {
    severity: 'warning',
    summary: 'a pod in an injection-enabled namespace has no istio-proxy container',
    ist: 'IST0103',
  },
  'namespace-multiple-injection-labels': {
    severity: 'warning',
    summary: 'a namespace has more than one kind of injection label',
    ist: 'IST0123',
  },
  'dr-no-ca-certificates': {
    severity: 'warning',
    summary: 'a DestinationRule originates TLS without caCertificates: the server is not verified',
    ist: 'IST0128',
  },
  'dr-port-no-ca-certificates': {
    severity: 'warning',
    summary: 'a DestinationRule port originates TLS without caCertificates: the server is not verified',
    ist: 'IST0129',
  },
  'jwt-claim-route-without-requestauthn': {
    severity: 'warning',
    summary: 'a VirtualService routes on JWT claims at a gateway no RequestAuthentication applies to',
    ist: 'IST0149',
  },
  'jwks-fetch-unrestricted': {
    severity: 'warning',
    summary: 'RequestAuthentications exist and istiod has no BLOCKED_CIDRS_IN_JWKS_URIS',
    ist: 'IST0175',
  },
  'jwks-private-key': { severity: 'warning', summary: 'inline jwks holds private key material', ist: 'IST0133' },
  'sidecar-egress-host-overlap': {
    severity: 'warning',
    summary: 'a Sidecar egress listener lists a host twice, or another host beside */*',
    ist: 'IST0133',
  },
  'sidecar-http-pool-on-tcp': {
    severity: 'warning',
    summary: 'a Sidecar ingress port that is not HTTP has HTTP connection pool settings: only TCP ones apply',
    ist: 'IST0133',
  },
  'netpol-service-port': {
    severity: 'warning',
    summary: 'a NetworkPolicy port equals a Service port but not its targetPort',
  },
  'unknown-rule-namespace': { severity: 'warning', summary: 'a rule names a namespace that is not in the input' },
  'unknown-rule-service-account': {
    severity: 'warning',
    summary: 'a rule names a service account that is not in the input',
  },
  'port-bypasses-sidecar': {
    severity: 'info',
    summary: 'a port is excluded from sidecar capture: no mTLS, no authorization',
  },
  'dns-egress-blocked': { severity: 'warning', summary: 'a sidecar pod has no DNS egress under NetworkPolicy' },
  // Calico policy (engine/calico/lint.ts): valid for Calico, but likely not what was meant
  'calico-rule-shadowed': {
    severity: 'warning',
    summary: 'a Calico rule comes after a catch-all rule of the same policy and can never match',
  },
  'calico-pass-in-last-tier': {
    severity: 'warning',
    summary: 'a Pass in the last Calico tier hands traffic to the profiles, which allow it',
  },
  'calico-default-deny-without-dns': {
    severity: 'warning',
    summary: 'a default-deny GlobalNetworkPolicy denies DNS egress (UDP 53)',
  },
  'calico-staged-would-deny': {
    severity: 'warning',
    summary: 'a staged Calico policy would deny traffic that is allowed today',
  },
  'calico-mixed-order': {
    severity: 'info',
    summary: 'a Calico tier mixes policies with and without order (those without run last)',
  },
  // the API server accepts it; istiod turns the policy's rules into an enforced DENY
  'custom-provider-unknown': {
    severity: 'warning',
    summary: 'a CUSTOM AuthorizationPolicy names a provider not in meshConfig.extensionProviders',
  },
  // istiod accepts the mesh config but skips the provider; CUSTOM rules naming it become an enforced DENY
  'custom-provider-invalid': {
    severity: 'warning',
    summary:
      'a CUSTOM AuthorizationPolicy names an ext_authz provider istiod cannot use (bad port, service, pathPrefix, name)',
  },
  // the API server accepts any ConfigMap; what istiod then does is undefined, so verdicts would be guesses
  'mesh-config-invalid': { severity: 'refused', summary: 'the mesh ConfigMap data.mesh is not valid YAML' },
  'selector-and-targetrefs': { severity: 'error', summary: 'a policy sets both selector and targetRefs' },
  'authz-port-is-service-port': {
    severity: 'warning',
    summary: 'an AuthorizationPolicy port is a Service port, not the container port it targets',
  },
  'principal-spiffe-prefix': {
    severity: 'warning',
    summary: 'a principal is written with spiffe://, which Istio adds itself: it never matches',
  },
  // ambient mode (README "Ambient mode")
  'ambient-l7-on-ztunnel': {
    severity: 'warning',
    summary: 'a policy enforced by ztunnel uses HTTP fields: ALLOW rules with them are dropped, DENY rules lose them',
  },
  'waypoint-missing': {
    severity: 'warning',
    summary: 'istio.io/use-waypoint names a waypoint that is missing or cannot take this traffic',
  },
  'waypoint-not-admitted': {
    severity: 'warning',
    summary: "a waypointed workload's L4 ALLOW policy does not admit the waypoint's identity",
  },
  'hbone-port-blocked': {
    severity: 'warning',
    summary: 'a NetworkPolicy isolating an ambient pod does not allow TCP 15008 (HBONE)',
  },
  'probe-source-blocked': {
    severity: 'warning',
    summary: 'a NetworkPolicy isolating an ambient pod does not allow kubelet probes from 169.254.7.127',
  },
  'ambient-and-sidecar': {
    severity: 'warning',
    summary: 'a pod is asked to be ambient and has a sidecar: the sidecar wins',
  },
  'ztunnel-unsupported-action': {
    severity: 'warning',
    summary: 'a CUSTOM/AUDIT (or dry-run) policy selects an ambient workload: ztunnel never receives it',
  },
  'unknown-kind': { severity: 'info', summary: 'an object of a kind meshdbg does not use' },
  'named-port-unresolved': { severity: 'info', summary: 'a named port matches no container port' },
  'namespace-synthesized': { severity: 'info', summary: 'a namespace was assumed, not declared' },
} as const satisfies Record<string, { severity: Severity; summary: string; ist?: string }>;

export type FindingCode = keyof typeof FINDING_CODES;

/** The istioctl analyze code (IST0xxx, istio/istio pkg/config/analysis/msg/messages.yaml) of a finding code, if any. */
export function istCode(code: FindingCode): string | null {
  const entry = FINDING_CODES[code];
  return 'ist' in entry ? entry.ist : null;
}

export interface Finding {
  readonly severity: Severity;
  readonly code: FindingCode;
  readonly message: string;
  readonly object: ObjectRef | null;
  /** JSON-path-like field, e.g. `spec.ingress[0].from[1].ipBlock.cidr`. */
  readonly field: string | null;
  readonly loc: SourceLocation | null;
  /** the Istio admission rule that rejects (or warns about) it, e.g. `istiod ValidateSidecar, istio/istio ...` */
  readonly rule?: string;
}

export function finding(
  code: FindingCode,
  message: string,
  where: { object?: ObjectRef | null; field?: string | null; loc?: SourceLocation | null; severity?: Severity } = {},
): Finding {
  return {
    severity: where.severity ?? FINDING_CODES[code].severity,
    code,
    message: cutLongValues(message),
    object: where.object ?? null,
    field: where.field === undefined || where.field === null ? null : cutLongValues(where.field),
    loc: where.loc ?? null,
  };
}
