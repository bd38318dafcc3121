/**
 * Finding codes the Istio layer needs that are not (yet) in the shared registry
 * (src/model/findings.ts). The lead merges them into FINDING_CODES; until then
 * `IstioFinding` is a Finding whose code may also be one of these.
 */
import type { ObjectRef, SourceLocation } from '../k8s.js';
import { FINDING_CODES, type Finding, type FindingCode, type Severity } from '../findings.js';

export const ISTIO_FINDING_CODES = {
  'legacy-servicerole': { severity: 'warning', summary: 'rbac.istio.io/v1alpha1 RBAC kinds were removed in Istio 1.6 and do nothing' },
  'nonexistent-istio-kind': { severity: 'error', summary: 'a kind that never existed in its Istio API group (e.g. security.istio.io ServiceRole)' },
  'legacy-istio-authn': { severity: 'warning', summary: 'authentication.istio.io/v1alpha1 Policy/MeshPolicy were removed in Istio 1.6' },
  'unknown-istio-annotation': { severity: 'warning', summary: 'a sidecar.istio.io annotation Istio does not define (e.g. proxyLogLevel)' },
  'duplicate-peerauthentication': { severity: 'warning', summary: 'several PeerAuthentications apply at one level; the oldest wins' },
  'root-peerauthentication-selector': { severity: 'warning', summary: 'a root-namespace PeerAuthentication with a selector is not mesh-wide' },
  'targetref-matches-nothing': { severity: 'warning', summary: 'a targetRefs entry names no object in the input' },
  'targetref-waypoint-only': { severity: 'warning', summary: 'a Service/ServiceEntry targetRef is enforced by waypoints only, never by sidecars' },
  'identity-without-mtls': { severity: 'warning', summary: 'a rule uses principals/namespaces for a workload that accepts plaintext' },
  'http-field-on-tcp-port': { severity: 'warning', summary: 'a rule uses HTTP-only fields on a workload port that is TCP' },
  'unknown-when-key': { severity: 'warning', summary: 'an AuthorizationPolicy condition key Istio does not know: istiod skips the rule' },
  'netpol-service-port': { severity: 'warning', summary: 'a NetworkPolicy port equals a Service port but not its targetPort' },
  'unknown-rule-namespace': { severity: 'warning', summary: 'a rule names a namespace that is not in the input' },
  'unknown-rule-service-account': { severity: 'warning', summary: 'a rule names a service account that is not in the input' },
  'port-bypasses-sidecar': { severity: 'info', summary: 'a port is excluded from sidecar capture: no mTLS, no authorization' },
  'dns-egress-blocked': { severity: 'warning', summary: 'a sidecar pod has no DNS egress under NetworkPolicy' },
  // the API server accepts it; istiod turns the policy's rules into an enforced DENY
  'custom-provider-unknown': { severity: 'warning', summary: 'a CUSTOM AuthorizationPolicy names a provider not in meshConfig.extensionProviders' },
  // the API server accepts any ConfigMap; what istiod then does is undefined, so verdicts would be guesses
  'mesh-config-invalid': { severity: 'refused', summary: 'the mesh ConfigMap data.mesh is not valid YAML' },
  'selector-and-targetrefs': { severity: 'error', summary: 'a policy sets both selector and targetRefs' },
  'authz-port-is-service-port': { severity: 'warning', summary: 'an AuthorizationPolicy port is a Service port, not the container port it targets' },
  'principal-spiffe-prefix': { severity: 'warning', summary: 'a principal is written with spiffe://, which Istio adds itself: it never matches' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type IstioFindingCode = keyof typeof ISTIO_FINDING_CODES;

/** A Finding whose code may be one of ISTIO_FINDING_CODES (identical to Finding once merged). */
export type IstioFinding = Omit<Finding, 'code'> & { readonly code: FindingCode | IstioFindingCode };

export function istioFinding(
  code: FindingCode | IstioFindingCode,
  message: string,
  where: { object?: ObjectRef | null; field?: string | null; loc?: SourceLocation | null } = {},
): IstioFinding {
  const entry = code in ISTIO_FINDING_CODES ? ISTIO_FINDING_CODES[code as IstioFindingCode] : FINDING_CODES[code as FindingCode];
  const loc = where.loc ?? null;
  // one line that names the file and line first, as the other findings do
  const at = loc ? `${loc.file}${loc.line ? `:${loc.line}` : ''}: ` : '';
  return { severity: entry.severity, code, message: `${at}${message}`, object: where.object ?? null, field: where.field ?? null, loc };
}
