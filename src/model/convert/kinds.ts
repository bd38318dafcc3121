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
