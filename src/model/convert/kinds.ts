/** Which objects meshdbg reads, detects, or ignores, by apiVersion group and kind. */

export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Policy kinds that could change an answer but are not evaluated (explain reports them as conditions, exit 4: README "Explain one flow"). */
const DETECTED: Readonly<Record<string, readonly string[]>> = {
  // Calico's own policies, staged ones included, are evaluated (convert/calico-objects.ts)
  'cilium.io': ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
};

export function isDetectedPolicyKind(apiVersion: string, kind: string): boolean {
  const group = apiGroup(apiVersion);
  if (group === 'policy.networking.k8s.io' && kind === 'ClusterNetworkPolicy') return true;
  return DETECTED[group]?.includes(kind) ?? false;
}

/** Kinds a cluster dump always has that play no part in the answer: skipped without a note. */
const QUIET_KINDS = new Set([
  'ServiceAccount',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'EndpointSlice',
  'Event',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'ControllerRevision',
  'Lease',
  'Node',
  'Ingress',
  'IngressClass',
  'Route',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'StorageClass',
  'PriorityClass',
  'LimitRange',
  'ResourceQuota',
  'APIService',
  'VirtualService',
  'Gateway',
  'HTTPRoute',
  'GatewayClass',
  'Telemetry',
  'EnvoyFilter',
  'WorkloadEntry',
  'WorkloadGroup',
  'ProxyConfig',
  'WasmPlugin',
]);

export function isQuietKind(kind: string): boolean {
  return QUIET_KINDS.has(kind);
}

/**
 * The apiVersions served for the policy kinds meshdbg evaluates: Kubernetes' NetworkPolicy, the
 * network-policy-api CRDs (v1alpha1), istio/api kubernetes/customresourcedefinitions.gen.yaml.
 * Another version in these groups (or the kind in another of them) is refused by kubectl ("no
 * matches for kind"), so the object is in force nowhere: read as if it were, it gave a verdict
 * about a policy the cluster never admits; skipped as an unknown kind, it went missing unseen.
 */
const SERVED_POLICY_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  NetworkPolicy: ['networking.k8s.io/v1'],
  AdminNetworkPolicy: ['policy.networking.k8s.io/v1alpha1'],
  BaselineAdminNetworkPolicy: ['policy.networking.k8s.io/v1alpha1'],
  AuthorizationPolicy: ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  PeerAuthentication: ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  RequestAuthentication: ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  DestinationRule: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
};

/** Groups whose kinds and versions are known here: core, the removed `extensions`, and the policy groups above. */
const KNOWN_POLICY_GROUPS = new Set([
  '',
  'extensions',
  'networking.k8s.io',
  'policy.networking.k8s.io',
  'security.istio.io',
  'networking.istio.io',
]);

/** lower-cased kind and its plural -> the kind, for `Authorizationpolicy` and `NetworkPolicies` */
const POLICY_KIND_SPELLINGS = new Map<string, string>(
  Object.keys(SERVED_POLICY_VERSIONS).flatMap((k) => [
    [k.toLowerCase(), k],
    [`${k.toLowerCase().replace(/y$/, 'ie')}s`, k],
  ]),
);

/**
 * Why kubectl would refuse this apiVersion/kind as "no matches for kind" (the object is then in
 * force nowhere), with the fix; null when it is served or not a policy kind meshdbg knows.
 * An apiVersion without a group is the core group, whose only version is v1.
 */
export function unservedKindReason(apiVersion: string, kind: string): string | null {
  const group = apiGroup(apiVersion);
  if (!apiVersion.includes('/') && apiVersion !== 'v1')
    return `apiVersion ${JSON.stringify(apiVersion)} is no served version (write GROUP/VERSION, or v1 for the core group), so kubectl apply fails with "no matches for kind ${kind}"`;
  if (!KNOWN_POLICY_GROUPS.has(group)) return null;
  const served = SERVED_POLICY_VERSIONS[kind];
  if (served) {
    if (served.includes(apiVersion)) return null;
    const what =
      apiVersion === 'extensions/v1beta1'
        ? `${apiVersion} ${kind} was removed in Kubernetes 1.16`
        : `${apiVersion} serves no ${kind}`;
    return `${what}, so kubectl apply fails with "no matches for kind"; use ${served.join(' or ')}`;
  }
  const meant = POLICY_KIND_SPELLINGS.get(kind.toLowerCase());
  if (meant === undefined) return null;
  return `there is no kind ${kind} (kinds are case-sensitive and singular), so kubectl apply fails with "no matches for kind"; write kind: ${meant} (${SERVED_POLICY_VERSIONS[meant]?.[0] ?? ''})`;
}
