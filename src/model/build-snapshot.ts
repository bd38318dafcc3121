/**
 * Raw objects (from any source) -> one indexed, immutable Snapshot. Pure.
 */
import { appendAll } from '../util/append.js';
import type {
  AdminNetworkPolicy,
  Namespace,
  NetworkPolicy,
  Pod,
  Service,
  ServiceAccount,
  UnmodelledPolicy,
  WorkloadRef,
} from './k8s.js';
import type { RawObject } from './raw.js';
import { finding, objectLabel, placePrefix, type Finding } from './findings.js';
import type { Assumption, Cni, PodGroup, Snapshot, SnapshotIndex, SnapshotSource } from './snapshot.js';
import { EMPTY_ISTIO, type IstioResources } from './istio.js';
import {
  controllerOwner,
  convertLivePod,
  convertNamespace,
  convertServiceAccount,
  convertService,
  convertWorkloadTemplate,
  nameOf,
  namespaceOf,
  synthesizeNamespace,
  WORKLOAD_KINDS,
} from './convert/core.js';
import { convertNetworkPolicy } from './convert/network-policy.js';
import { convertAdminNetworkPolicy } from './convert/admin-network-policy.js';
import { unknownFieldFindings } from './convert/unknown-fields.js';
import { apiGroup, isDetectedPolicyKind, isQuietKind, unservedKindReason } from './convert/kinds.js';
import { metadataOf, recordAt, stringAt, stringMap } from './convert/context.js';
import { checkDuplicates, checkAdminPolicies, checkNames, checkOwnerConsistency } from './convert/consistency.js';
import { groupPods } from './convert/groups.js';
import { convertRouteTimeouts, isVirtualService } from './convert/virtual-service.js';
import { convertWaypoints } from './convert/waypoint.js';
import { convertCalicoObjects, isCalicoObject } from './convert/calico-objects.js';
import { canonicalIp } from '../util/cidr.js';

export interface BuildOptions {
  /** namespace for objects without one (`-n`), default `default` */
  readonly defaultNamespace?: string;
  readonly source?: SnapshotSource;
  /**
   * Istio conversion, injected so the core builder does not depend on it:
   * picks the Istio kinds out of all objects.
   */
  readonly convertIstio?: (
    objects: readonly RawObject[],
    options: { defaultNamespace: string },
  ) => {
    istio: IstioResources;
    findings: Finding[];
    unmodelled: UnmodelledPolicy[];
  };
  readonly isIstioKind?: (apiVersion: string, kind: string) => boolean;
  /** sidecar injection for template pods (adds istio-proxy and the injector's labels) */
  readonly applySidecarInjection?: (pod: Pod, namespace: Namespace | undefined) => Pod;
}

interface Sorted {
  namespaces: RawObject[];
  pods: RawObject[];
  workloads: RawObject[];
  services: RawObject[];
  serviceAccounts: RawObject[];
  networkPolicies: RawObject[];
  adminPolicies: RawObject[];
  detected: RawObject[];
  calico: RawObject[];
  ignored: Map<string, number>;
}

function unservedFinding(raw: RawObject, kind: string, reason: string): Finding {
  const meta = metadataOf(raw.object);
  const object = { kind, namespace: stringAt(meta['namespace']), name: stringAt(meta['name']) ?? '' };
  return finding('unserved-kind', `${placePrefix(raw.loc)}${objectLabel(object)}: ${reason}`, {
    object,
    field: reason.startsWith('there is no kind') ? 'kind' : 'apiVersion',
    loc: raw.loc,
  });
}

function sortObjects(objects: readonly RawObject[], isIstioKind: BuildOptions['isIstioKind']): Sorted {
  const s: Sorted = {
    namespaces: [],
    pods: [],
    workloads: [],
    services: [],
    serviceAccounts: [],
    networkPolicies: [],
    adminPolicies: [],
    detected: [],
    calico: [],
    ignored: new Map(),
  };
  for (const raw of objects) {
    const kind = raw.object['kind'] as string;
    const apiVersion = raw.object['apiVersion'] as string;
    const group = apiGroup(apiVersion);
    if (group === '' && kind === 'Namespace') s.namespaces.push(raw);
    else if (group === '' && kind === 'Pod') s.pods.push(raw);
    else if (group === '' && kind === 'Service') s.services.push(raw);
    else if (group === '' && kind === 'ServiceAccount') s.serviceAccounts.push(raw);
    else if (
      WORKLOAD_KINDS.has(kind) &&
      (group === 'apps' || group === 'batch' || group === '' || group === 'extensions')
    )
      s.workloads.push(raw);
    else if (group === 'networking.k8s.io' && kind === 'NetworkPolicy') s.networkPolicies.push(raw);
    else if (
      group === 'policy.networking.k8s.io' &&
      (kind === 'AdminNetworkPolicy' || kind === 'BaselineAdminNetworkPolicy')
    )
      s.adminPolicies.push(raw);
    else if (isCalicoObject(apiVersion, kind)) s.calico.push(raw);
    else if (isDetectedPolicyKind(apiVersion, kind)) s.detected.push(raw);
    else if (isIstioKind?.(apiVersion, kind)) continue;
    else if (!isQuietKind(kind))
      s.ignored.set(`${kind} (${apiVersion})`, (s.ignored.get(`${kind} (${apiVersion})`) ?? 0) + 1);
  }
  return s;
}

/** Follows ownerReferences through workload objects in the input: [outermost, ..., direct owner]. */
function ownerChain(
  direct: WorkloadRef | null,
  namespace: string,
  workloadsByKey: Map<string, RawObject>,
): WorkloadRef[] {
  const chain: WorkloadRef[] = [];
  let current = direct;
  while (current && chain.length < 5) {
    chain.unshift(current);
    const obj = workloadsByKey.get(`${current.kind}/${namespace}/${current.name}`);
    current = obj ? controllerOwner(obj.object) : null;
  }
  return chain;
}

/** The CNI, from its DaemonSets (or their pods) where installers put them. */
const CNI_NAMESPACES = new Set(['kube-system', 'calico-system']);

function detectCni(s: Sorted, defaultNamespace: string): Cni {
  const names = [...s.workloads, ...s.pods]
    .filter((raw) => CNI_NAMESPACES.has(namespaceOf(raw.object, defaultNamespace)))
    .filter((raw) => raw.object['kind'] === 'DaemonSet' || controllerOwner(raw.object)?.kind === 'DaemonSet')
    .map((raw) => {
      const meta = metadataOf(raw.object);
      const tmpl = recordAt(recordAt(recordAt(raw.object['spec'])?.['template'])?.['metadata']);
      return `${nameOf(raw.object)} ${stringMap(meta['labels'])['k8s-app'] ?? ''} ${stringMap(tmpl?.['labels'])['k8s-app'] ?? ''}`;
    });
  if (names.some((n) => /\bcalico-node\b/.test(n))) return 'calico';
  if (names.some((n) => /\bcilium\b/.test(n))) return 'cilium';
  if (names.some((n) => /\bkube-router\b/.test(n))) return 'kube-router';
  return 'generic';
}

function unmodelledOf(raw: RawObject, defaultNamespace: string): UnmodelledPolicy {
  const namespaced = !/Global|Clusterwide|ClusterNetworkPolicy/.test(raw.object['kind'] as string);
  return {
    kind: raw.object['kind'] as string,
    apiVersion: raw.object['apiVersion'] as string,
    namespace: namespaced ? namespaceOf(raw.object, defaultNamespace) : null,
    name: nameOf(raw.object),
    loc: raw.loc,
  };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function buildIndex(
  pods: readonly Pod[],
  groups: readonly PodGroup[],
  services: readonly Service[],
  policies: readonly NetworkPolicy[],
): SnapshotIndex {
  const groupOfPod = new Map<Pod, PodGroup>();
  for (const g of groups) for (const p of g.pods) groupOfPod.set(p, g);
  const podByIp = new Map<string, Pod>();
  // keyed by canonicalIp: `fd00::0001` in a manifest and `fd00::1` in a query or log are one address
  for (const p of pods) if (p.ip && !p.hostNetwork) podByIp.set(canonicalIp(p.ip) ?? p.ip, p);
  const serviceByIp = new Map<string, Service>();
  for (const s of services)
    if (s.clusterIP && s.clusterIP !== 'None') serviceByIp.set(canonicalIp(s.clusterIP) ?? s.clusterIP, s);
  return {
    podsByNamespace: groupBy(pods, (p) => p.namespace),
    groupsByNamespace: groupBy(groups, (g) => g.namespace),
    groupOfPod,
    servicesByNamespace: groupBy(services, (s) => s.namespace),
    networkPoliciesByNamespace: groupBy(policies, (p) => p.namespace),
    podByIp,
    serviceByIp,
  };
}

/**
 * An object without metadata.name (and no generateName) is refused by kubectl ("resource name may
 * not be empty"), so it is in force nowhere; it was evaluated all the same (a warning explain never
 * shows), and a nameless NetworkPolicy decided answers as "NetworkPolicy poc-mesh/".
 */
function namelessFinding(raw: RawObject): Finding | null {
  const m = metadataOf(raw.object);
  const name = m['name'];
  if ((typeof name === 'string' && name !== '') || typeof m['generateName'] === 'string') return null;
  const kind = String(raw.object['kind']);
  const got = name === undefined || name === null || name === '' ? 'is missing' : 'is no string';
  return finding(
    'missing-field',
    `${placePrefix(raw.loc)}${kind}: metadata.name ${got} (kubectl refuses it: "resource name may not be empty"); give the object a name`,
    {
      object: { kind, namespace: stringAt(m['namespace']), name: '' },
      field: 'metadata.name',
      loc: raw.loc,
    },
  );
}

export function buildSnapshot(input: readonly RawObject[], options: BuildOptions = {}): Snapshot {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const findings: Finding[] = [];
  // what kubectl refuses as "no matches for kind" is in force nowhere: reported, and read by no converter
  const objects: RawObject[] = [];
  for (const raw of input) {
    const apiVersion = raw.object['apiVersion'];
    const kind = raw.object['kind'];
    const reason =
      typeof apiVersion === 'string' && typeof kind === 'string' ? unservedKindReason(apiVersion, kind) : null;
    if (reason !== null) {
      findings.push(unservedFinding(raw, kind as string, reason));
      continue;
    }
    const nameless = namelessFinding(raw);
    if (nameless !== null) {
      findings.push(nameless);
      continue;
    }
    objects.push(raw);
    appendAll(findings, unknownFieldFindings(raw.object, raw.loc, raw.lines));
  }
  const sorted = sortObjects(objects, options.isIstioKind);
  checkDuplicates(
    [
      ...sorted.namespaces,
      ...sorted.networkPolicies,
      ...sorted.adminPolicies,
      ...sorted.services,
      ...sorted.serviceAccounts,
      ...sorted.pods,
      ...sorted.workloads,
    ],
    defaultNamespace,
    findings,
  );

  checkNames(
    [
      ...sorted.namespaces,
      ...sorted.networkPolicies,
      ...sorted.adminPolicies,
      ...sorted.pods,
      ...sorted.services,
      ...sorted.serviceAccounts,
      ...sorted.workloads,
    ],
    findings,
  );
  const namespaces = new Map<string, Namespace>();
  for (const raw of sorted.namespaces)
    if (!namespaces.has(nameOf(raw.object))) namespaces.set(nameOf(raw.object), convertNamespace(raw, findings));

  const workloadsByKey = new Map<string, RawObject>();
  for (const raw of sorted.workloads)
    workloadsByKey.set(
      `${raw.object['kind'] as string}/${namespaceOf(raw.object, defaultNamespace)}/${nameOf(raw.object)}`,
      raw,
    );

  const pods: Pod[] = [];
  const workloadsWithPods = new Set<string>();
  for (const raw of sorted.pods) {
    const namespace = namespaceOf(raw.object, defaultNamespace);
    if (nameOf(raw.object).startsWith('virt-launcher-')) continue;
    const chain = ownerChain(controllerOwner(raw.object), namespace, workloadsByKey);
    for (const o of chain) workloadsWithPods.add(`${o.kind}/${namespace}/${o.name}`);
    pods.push(convertLivePod(raw, defaultNamespace, chain, findings));
  }
  for (const raw of sorted.workloads) {
    const namespace = namespaceOf(raw.object, defaultNamespace);
    const key = `${raw.object['kind'] as string}/${namespace}/${nameOf(raw.object)}`;
    const owner = controllerOwner(raw.object);
    // a ReplicaSet owned by a Deployment in the input is represented by that Deployment
    if (workloadsWithPods.has(key) || (owner && workloadsByKey.has(`${owner.kind}/${namespace}/${owner.name}`)))
      continue;
    const pod = convertWorkloadTemplate(raw, defaultNamespace, findings);
    if (pod) pods.push(pod);
  }

  const services = sorted.services.map((raw) => convertService(raw, defaultNamespace, findings));
  const serviceAccounts = new Map<string, ServiceAccount>();
  for (const raw of sorted.serviceAccounts) {
    const sa = convertServiceAccount(raw, defaultNamespace, findings);
    if (!serviceAccounts.has(`${sa.namespace}/${sa.name}`)) serviceAccounts.set(`${sa.namespace}/${sa.name}`, sa);
  }
  // sorted as the API server lists them, so answers do not depend on file order
  const networkPolicies = sorted.networkPolicies
    .map((raw) => convertNetworkPolicy(raw, defaultNamespace, findings))
    .sort((a, b) =>
      a.namespace === b.namespace
        ? a.name < b.name
          ? -1
          : a.name > b.name
            ? 1
            : 0
        : a.namespace < b.namespace
          ? -1
          : 1,
    );
  const admin = sorted.adminPolicies
    .map((raw) => convertAdminNetworkPolicy(raw, findings))
    .filter((p): p is AdminNetworkPolicy => p !== null);
  const adminNetworkPolicies = admin
    .filter((p) => p.kind === 'AdminNetworkPolicy')
    .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0) || (a.name < b.name ? -1 : 1));
  const baselines = admin.filter((p) => p.kind === 'BaselineAdminNetworkPolicy');
  checkAdminPolicies(adminNetworkPolicies, baselines, findings);

  const waypoints = convertWaypoints(objects, defaultNamespace, findings);
  const istioResult = options.convertIstio?.(objects, { defaultNamespace }) ?? {
    istio: EMPTY_ISTIO,
    findings: [],
    unmodelled: [],
  };
  appendAll(findings, istioResult.findings);
  const calico = convertCalicoObjects(sorted.calico, defaultNamespace, findings);

  // namespaces referenced but not declared are synthesized, as `kubectl create namespace` makes them
  const assumptions: Assumption[] = [];
  const referenced = new Set<string>([
    ...pods.map((p) => p.namespace),
    ...services.map((s) => s.namespace),
    ...networkPolicies.map((p) => p.namespace),
    ...istioResult.istio.authorizationPolicies.map((p) => p.namespace),
    ...waypoints.map((w) => w.namespace),
    ...[...calico.policies, ...calico.staged].flatMap((p) => (p.namespace === null ? [] : [p.namespace])),
  ]);
  for (const name of [...referenced].sort()) {
    if (namespaces.has(name)) continue;
    namespaces.set(name, synthesizeNamespace(name));
    assumptions.push({
      code: 'namespace-synthesized',
      message: `namespace ${name} not in the input; assumed with only kubernetes.io/metadata.name`,
    });
  }

  const injected = options.applySidecarInjection
    ? pods.map((p) => options.applySidecarInjection?.(p, namespaces.get(p.namespace)) ?? p)
    : pods;
  const groups = groupPods(injected);
  checkOwnerConsistency(groups, networkPolicies, adminNetworkPolicies, findings);

  const unmodelled = [...sorted.detected.map((raw) => unmodelledOf(raw, defaultNamespace)), ...istioResult.unmodelled];
  for (const u of unmodelled) {
    findings.push(
      finding(
        'unmodelled-policy',
        `${objectLabel(u)} (${u.apiVersion}) is not evaluated by meshdbg; verdicts it may affect are conditional`,
        { object: { kind: u.kind, namespace: u.namespace, name: u.name }, loc: u.loc },
      ),
    );
  }

  return {
    source: options.source ?? { type: 'manifests', description: 'manifests' },
    namespaces,
    pods: injected,
    groups,
    services,
    serviceAccounts,
    networkPolicies,
    adminNetworkPolicies,
    baselineAdminNetworkPolicy: baselines[0] ?? null,
    unmodelled,
    istio: istioResult.istio,
    calico,
    waypoints,
    routeTimeouts: objects.filter(isVirtualService).flatMap((raw) => convertRouteTimeouts(raw, defaultNamespace)),
    detectedCni: detectCni(sorted, defaultNamespace),
    assumptions,
    findings,
    ignoredKinds: sorted.ignored,
    index: buildIndex(injected, groups, services, networkPolicies),
  };
}
