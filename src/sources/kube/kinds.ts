/**
 * Every kind the Snapshot uses, with the API versions meshdbg understands, in order of
 * preference (discovery picks the first one the server serves).
 */

export interface KindSpec {
  readonly group: string;
  readonly versions: readonly string[];
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Only some objects are kept (the mesh ConfigMap); listing is limited to `onlyNamespace`. */
  readonly onlyNamespace?: 'root';
  /** Namespaces always read for this kind when not listing cluster-wide (CNI DaemonSets). */
  readonly alsoIn?: readonly string[];
  /**
   * A group that serves the same objects better: this kind is not listed when that group serves it
   * (crd.projectcalico.org/v1 holds what the Calico API server serves as projectcalico.org/v3).
   */
  readonly unlessServedBy?: string;
}

const ISTIO_NETWORKING = ['v1', 'v1beta1', 'v1alpha3'];
const ISTIO_SECURITY = ['v1', 'v1beta1'];

function ns(group: string, versions: readonly string[], kind: string, plural: string): KindSpec {
  return { group, versions, kind, plural, namespaced: true };
}

function cluster(group: string, versions: readonly string[], kind: string, plural: string): KindSpec {
  return { group, versions, kind, plural, namespaced: false };
}

/**
 * Calico's policy kinds (https://docs.tigera.io/calico/latest/reference/resources/overview): the
 * Calico API server's projectcalico.org/v3, or the crd.projectcalico.org/v1 CRDs that store them.
 */
function calicoKinds(group: string, version: string): KindSpec[] {
  return [
    ns(group, [version], 'NetworkPolicy', 'networkpolicies'),
    cluster(group, [version], 'GlobalNetworkPolicy', 'globalnetworkpolicies'),
    ns(group, [version], 'StagedNetworkPolicy', 'stagednetworkpolicies'),
    cluster(group, [version], 'StagedGlobalNetworkPolicy', 'stagedglobalnetworkpolicies'),
    ns(group, [version], 'StagedKubernetesNetworkPolicy', 'stagedkubernetesnetworkpolicies'),
    cluster(group, [version], 'Tier', 'tiers'),
    ns(group, [version], 'NetworkSet', 'networksets'),
    cluster(group, [version], 'GlobalNetworkSet', 'globalnetworksets'),
    cluster(group, [version], 'HostEndpoint', 'hostendpoints'),
  ];
}

export const NAMESPACE_KIND: KindSpec = cluster('', ['v1'], 'Namespace', 'namespaces');
export const POD_KIND: KindSpec = ns('', ['v1'], 'Pod', 'pods');

export const SNAPSHOT_KINDS: readonly KindSpec[] = [
  NAMESPACE_KIND,
  POD_KIND,
  ns('', ['v1'], 'Service', 'services'),
  ns('', ['v1'], 'ServiceAccount', 'serviceaccounts'),
  ns('', ['v1'], 'ReplicationController', 'replicationcontrollers'),
  { ...ns('', ['v1'], 'ConfigMap', 'configmaps'), onlyNamespace: 'root' },
  ns('apps', ['v1'], 'Deployment', 'deployments'),
  ns('apps', ['v1'], 'StatefulSet', 'statefulsets'),
  // CNI DaemonSets, and ztunnel's in the Istio namespace (ambient mode)
  { ...ns('apps', ['v1'], 'DaemonSet', 'daemonsets'), alsoIn: ['kube-system', 'calico-system', 'istio-system'] },
  ns('apps', ['v1'], 'ReplicaSet', 'replicasets'),
  ns('batch', ['v1'], 'Job', 'jobs'),
  ns('batch', ['v1'], 'CronJob', 'cronjobs'),
  ns('networking.k8s.io', ['v1'], 'NetworkPolicy', 'networkpolicies'),
  cluster('policy.networking.k8s.io', ['v1alpha1'], 'AdminNetworkPolicy', 'adminnetworkpolicies'),
  cluster('policy.networking.k8s.io', ['v1alpha1'], 'BaselineAdminNetworkPolicy', 'baselineadminnetworkpolicies'),
  ns('security.istio.io', ISTIO_SECURITY, 'AuthorizationPolicy', 'authorizationpolicies'),
  ns('security.istio.io', ISTIO_SECURITY, 'PeerAuthentication', 'peerauthentications'),
  ns('security.istio.io', ISTIO_SECURITY, 'RequestAuthentication', 'requestauthentications'),
  ns('networking.istio.io', ISTIO_NETWORKING, 'DestinationRule', 'destinationrules'),
  ns('networking.istio.io', ISTIO_NETWORKING, 'Sidecar', 'sidecars'),
  ns('networking.istio.io', ISTIO_NETWORKING, 'ServiceEntry', 'serviceentries'),
  // route timeouts decide what a client sees when its upstream never connects
  ns('networking.istio.io', ISTIO_NETWORKING, 'VirtualService', 'virtualservices'),
  ns('networking.istio.io', ['v1alpha3'], 'EnvoyFilter', 'envoyfilters'),
  ns('networking.istio.io', ISTIO_NETWORKING, 'WorkloadEntry', 'workloadentries'),
  // ambient waypoints: Gateways of class istio-waypoint
  ns('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'Gateway', 'gateways'),
  ...calicoKinds('projectcalico.org', 'v3'),
  // the CRDs behind the Calico API server: read when it is not installed
  ...calicoKinds('crd.projectcalico.org', 'v1').map((k) => ({ ...k, unlessServedBy: 'projectcalico.org' })),
  ns('cilium.io', ['v2'], 'CiliumNetworkPolicy', 'ciliumnetworkpolicies'),
  cluster('cilium.io', ['v2'], 'CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies'),
];

/** A kind the server serves, at the version discovery chose. */
export interface ServedKind {
  readonly spec: KindSpec;
  readonly version: string;
  readonly apiVersion: string;
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** `/api/v1/pods`, `/apis/apps/v1/namespaces/x/deployments`... */
export function collectionPath(kind: ServedKind, namespace: string | null): string {
  const base = kind.spec.group === '' ? `/api/${kind.version}` : `/apis/${kind.spec.group}/${kind.version}`;
  return namespace === null
    ? `${base}/${kind.spec.plural}`
    : `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.spec.plural}`;
}

/** `Deployment (apps/v1)` for messages. */
export function kindLabel(kind: ServedKind | KindSpec): string {
  const spec = 'spec' in kind ? kind.spec : kind;
  return spec.group === '' ? spec.kind : `${spec.kind}.${spec.group}`;
}

/** The mesh ConfigMap: `istio` or `istio-<rev>` with a `mesh` key. */
export function isMeshConfigMap(object: Readonly<Record<string, unknown>>): boolean {
  const meta = object['metadata'] as { name?: unknown } | undefined;
  const data = object['data'] as Record<string, unknown> | undefined;
  const name = String(meta?.name ?? '');
  return /^istio(-[a-z0-9-]+)?$/.test(name) && typeof data?.['mesh'] === 'string';
}
