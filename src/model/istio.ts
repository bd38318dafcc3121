/**
 * Typed Istio resources (security.istio.io v1/v1beta1, networking.istio.io DestinationRule)
 * and mesh settings, as the engine sees them.
 */
import type { LabelSelector, SourceLocation } from './k8s.js';

export type AuthzAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

export interface AuthzSource {
  readonly principals?: readonly string[];
  readonly notPrincipals?: readonly string[];
  readonly requestPrincipals?: readonly string[];
  readonly notRequestPrincipals?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly notNamespaces?: readonly string[];
  readonly serviceAccounts?: readonly string[];
  readonly notServiceAccounts?: readonly string[];
  readonly ipBlocks?: readonly string[];
  readonly notIpBlocks?: readonly string[];
  readonly remoteIpBlocks?: readonly string[];
  readonly notRemoteIpBlocks?: readonly string[];
  readonly trustDomains?: readonly string[];
  readonly notTrustDomains?: readonly string[];
}

export interface AuthzOperation {
  readonly hosts?: readonly string[];
  readonly notHosts?: readonly string[];
  readonly ports?: readonly string[];
  readonly notPorts?: readonly string[];
  readonly methods?: readonly string[];
  readonly notMethods?: readonly string[];
  readonly paths?: readonly string[];
  readonly notPaths?: readonly string[];
}

export interface AuthzCondition {
  readonly key: string;
  readonly values: readonly string[] | null;
  readonly notValues: readonly string[] | null;
}

export interface AuthzRule {
  /** null: `from` absent (any source). */
  readonly from: readonly AuthzSource[] | null;
  /** null: `to` absent (any operation). */
  readonly to: readonly AuthzOperation[] | null;
  /** null: `when` absent. */
  readonly when: readonly AuthzCondition[] | null;
  /** set when istiod skips the rule (a null list item: "skipped nil rule"); the index still counts */
  readonly skipped?: string;
}

export interface TargetRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | null;
}

export interface AuthorizationPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly action: AuthzAction;
  /** CUSTOM only: `spec.provider.name`. */
  readonly provider: string | null;
  /** null: no selector (namespace-wide, or mesh-wide in the root namespace). */
  readonly selector: LabelSelector | null;
  readonly targetRefs: readonly TargetRef[];
  /** `spec.rules` as written; empty when absent (a policy that matches nothing). */
  readonly rules: readonly AuthzRule[];
  /** annotation istio.io/dry-run: "true". */
  readonly dryRun: boolean;
  readonly raw: unknown;
  readonly loc: SourceLocation | null;
}

export type MtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export interface PeerAuthentication {
  readonly namespace: string;
  readonly name: string;
  readonly selector: LabelSelector | null;
  /** null when `spec.mtls` is absent (same as UNSET). */
  readonly mode: MtlsMode | null;
  /** container port -> mode */
  readonly portLevelMtls: ReadonlyMap<number, MtlsMode>;
  readonly creationTimestamp: string | null;
  readonly raw: unknown;
  readonly loc: SourceLocation | null;
}

export interface JwtRule {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly jwksUri: string | null;
  /** inline JWKS given: no fetch needed. */
  readonly hasInlineJwks: boolean;
  /** `spaceDelimitedClaims` as written (istiod adds `scope` and `permission` to it) */
  readonly spaceDelimitedClaims: readonly string[];
}

export interface RequestAuthentication {
  readonly namespace: string;
  readonly name: string;
  readonly selector: LabelSelector | null;
  readonly targetRefs: readonly TargetRef[];
  readonly jwtRules: readonly JwtRule[];
  readonly raw: unknown;
  readonly loc: SourceLocation | null;
}

export type ClientTlsMode = 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';

export interface DestinationRule {
  readonly namespace: string;
  readonly name: string;
  /** `spec.host` as written (short name, FQDN or wildcard). */
  readonly host: string;
  readonly exportTo: readonly string[];
  readonly workloadSelector: LabelSelector | null;
  /** trafficPolicy.tls.mode, null when not set. */
  readonly tlsMode: ClientTlsMode | null;
  readonly portTlsModes: ReadonlyMap<number, ClientTlsMode>;
  /** trafficPolicy.tls.credentialName, null when not set. */
  readonly tlsCredentialName: string | null;
  /** portLevelSettings[].tls.credentialName by port number, for the ports whose tls sets one. */
  readonly portTlsCredentialNames: ReadonlyMap<number, string>;
  readonly raw: unknown;
  readonly loc: SourceLocation | null;
}

export interface ExtensionProvider {
  readonly name: string;
  /** envoyExtAuthzHttp, envoyExtAuthzGrpc, ... */
  readonly type: string;
  /** why istiod cannot use this ext_authz provider (CUSTOM policies naming it become DENY), or null */
  readonly error: string | null;
}

/** meshConfig.pathNormalization.normalization (DEFAULT is BASE: istio/api mesh/v1alpha1/config.proto, ProxyPathNormalization). */
export type PathNormalization = 'NONE' | 'BASE' | 'MERGE_SLASHES' | 'DECODE_AND_MERGE_SLASHES';

export interface MeshConfig {
  readonly istioNamespace: string;
  readonly rootNamespace: string;
  readonly trustDomain: string;
  readonly trustDomainAliases: readonly string[];
  readonly enableAutoMtls: boolean;
  readonly outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  readonly extensionProviders: readonly ExtensionProvider[];
  readonly numTrustedProxies: number;
  /** how sidecars and gateways normalize request paths before authorization (absent: BASE) */
  readonly pathNormalization: PathNormalization;
  /** revisions that have a mesh ConfigMap (`istio` is `default`, `istio-<rev>` is `<rev>`). */
  readonly revisions?: readonly string[];
  /** where the settings came from: a ConfigMap, or defaults. */
  readonly origin: string;
}

export const DEFAULT_MESH_CONFIG: MeshConfig = {
  istioNamespace: 'istio-system',
  rootNamespace: 'istio-system',
  trustDomain: 'cluster.local',
  trustDomainAliases: [],
  enableAutoMtls: true,
  outboundTrafficPolicy: 'ALLOW_ANY',
  extensionProviders: [],
  numTrustedProxies: 0,
  pathNormalization: 'BASE',
  origin: 'defaults',
};

/**
 * An Istio object meshdbg detects but does not evaluate (Sidecar resource, ServiceEntry,
 * egress Gateway...). The engine turns it into a condition only when it can touch the flow.
 */
export interface DetectedIstioObject {
  readonly kind: 'Sidecar' | 'ServiceEntry' | 'EnvoyFilter' | 'WorkloadEntry';
  readonly apiVersion: string;
  readonly namespace: string;
  readonly name: string;
  /** Sidecar `workloadSelector.labels` / EnvoyFilter `workloadSelector.labels`; null: namespace-wide. */
  readonly selector: LabelSelector | null;
  /** ServiceEntry hosts (empty for other kinds). */
  readonly hosts: readonly string[];
  readonly loc: SourceLocation | null;
}

/** Istio objects of a Snapshot. */
export interface IstioResources {
  readonly authorizationPolicies: readonly AuthorizationPolicy[];
  readonly peerAuthentications: readonly PeerAuthentication[];
  readonly requestAuthentications: readonly RequestAuthentication[];
  readonly destinationRules: readonly DestinationRule[];
  readonly mesh: MeshConfig;
  /** Sidecar resources, ServiceEntries...: detected, not modelled (optional for older builders). */
  readonly detected?: readonly DetectedIstioObject[];
}

export const EMPTY_ISTIO: IstioResources = {
  authorizationPolicies: [],
  peerAuthentications: [],
  requestAuthentications: [],
  destinationRules: [],
  mesh: DEFAULT_MESH_CONFIG,
  detected: [],
};
