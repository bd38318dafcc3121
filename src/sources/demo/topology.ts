/**
 * The demo cluster: each Deployment of the example's app namespaces runs several replicas with
 * pod IPs, owned through a ReplicaSet, as a cluster would show them. Emitted as raw objects so
 * the demo Snapshot is built exactly like any other.
 */
import type { RawObject } from '../../model/raw.js';
import type { Random } from '../../util/random.js';

export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set([
  'istio-system',
  'kube-system',
  'kube-public',
  'calico-system',
  'kyma-system',
  'tigera-operator',
]);

export interface DemoPod {
  readonly namespace: string;
  readonly name: string;
  readonly deployment: string;
  readonly ip: string;
}

export interface DemoTopology {
  readonly pods: readonly DemoPod[];
  /** the example's objects (Services given a ClusterIP when they had none) plus ReplicaSets and Pods */
  readonly objects: readonly RawObject[];
  /** Service namespace/name -> ClusterIP (the manifest's, or an assigned one) */
  readonly clusterIps: ReadonlyMap<string, string>;
}

type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

function raw(object: Json): RawObject {
  return { object, loc: null, lines: null };
}

function podObject(deploy: Json, namespace: string, name: string, rs: string, ip: string, sidecar: boolean): Json {
  const template = rec(rec(deploy['spec'])['template']);
  const meta = rec(template['metadata']);
  const spec = rec(template['spec']);
  const containers = Array.isArray(spec['containers']) ? [...(spec['containers'] as unknown[])] : [];
  if (sidecar)
    containers.push({
      name: 'istio-proxy',
      image: 'docker.io/istio/proxyv2:1.26.2',
      ports: [{ name: 'http-envoy-prom', containerPort: 15090 }],
    });
  const labels = { ...rec(meta['labels']), ...(sidecar ? { 'security.istio.io/tlsMode': 'istio' } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels,
      annotations: rec(meta['annotations']),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, controller: true }],
    },
    spec: { ...spec, containers },
    status: { phase: 'Running', podIP: ip },
  };
}

/**
 * Replicas for every Deployment in an app namespace, and for the system Deployments in `alsoRun`
 * (`namespace/name`: an ingress gateway or istiod a flow starts from). `injected(namespace, deployment)`
 * says whether the injector would add a sidecar (decided on the manifests' Snapshot).
 */
export function buildTopology(
  objects: readonly RawObject[],
  rng: Random,
  injected: (namespace: string, deployment: string) => boolean,
  alsoRun: ReadonlySet<string> = new Set(),
  replicas = 2,
): DemoTopology {
  const pods: DemoPod[] = [];
  const extra: RawObject[] = [];
  const all: RawObject[] = [];
  const clusterIps = new Map<string, string>();
  let subnet = 0;
  // the manifests' own objects keep their file and line, so findings on them point there
  for (const entry of objects) {
    const { object } = entry;
    const meta = rec(object['metadata']);
    const namespace = typeof meta['namespace'] === 'string' ? meta['namespace'] : 'default';
    const name = String(meta['name'] ?? '');
    if (object['kind'] === 'Service') {
      const spec = rec(object['spec']);
      const given = spec['clusterIP'];
      const ip =
        typeof given === 'string' && given !== '' ? given : `10.96.${clusterIps.size + 10}.${10 + clusterIps.size}`;
      if (ip !== 'None') clusterIps.set(`${namespace}/${name}`, ip);
      all.push(ip === given ? entry : { ...entry, object: { ...object, spec: { ...spec, clusterIP: ip } } });
    } else all.push(entry);
    if (object['kind'] !== 'Deployment') continue;
    if (SYSTEM_NAMESPACES.has(namespace) && !alsoRun.has(`${namespace}/${name}`)) continue;
    subnet++;
    const rs = `${name}-${rng.suffix(9)}`;
    extra.push(
      raw({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rs,
          namespace,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, controller: true }],
        },
        spec: rec(object['spec']),
      }),
    );
    for (let r = 0; r < replicas; r++) {
      const pod: DemoPod = {
        namespace,
        name: `${rs}-${rng.suffix(5)}`,
        deployment: name,
        ip: `10.244.${subnet}.${10 + r}`,
      };
      pods.push(pod);
      extra.push(raw(podObject(object, namespace, pod.name, rs, pod.ip, injected(namespace, name))));
    }
  }
  return { pods, objects: [...all, ...extra], clusterIps };
}
