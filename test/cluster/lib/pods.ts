/**
 * Pods without a kubelet: each Deployment gets a ReplicaSet and pods owned by it (as the
 * deployment and replicaset controllers would make them, with istio-proxy where Istio's injector
 * would add it: inject.ts), created with spec.nodeName set,
 * and their status written through the status subresource as a kubelet would
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase).
 */
import { createHash } from 'node:crypto';
import { injected, injects } from './inject.js';
import { expectOk, type RestClient } from './rest.js';

type Obj = Record<string, unknown>;

let nextIp = 1;
/** A fresh pod IP from 10.244.0.0/16 (each call a new address). */
export function nextPodIp(): string {
  const n = nextIp++;
  return `10.244.${(n >> 8) & 255}.${n & 255}`;
}

function hash(text: string): string {
  return createHash('sha256')
    .update(text)
    .digest('hex')
    .slice(0, 10)
    .replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)]!);
}

function ownerRef(owner: Obj, kind: string, apiVersion: string) {
  const meta = owner['metadata'] as Obj;
  return { apiVersion, kind, name: meta['name'], uid: meta['uid'], controller: true, blockOwnerDeletion: true };
}

/** Writes a Running, ready status with `podIP` (the status subresource ignores spec changes). */
export async function markRunning(client: RestClient, namespace: string, pod: Obj, podIP: string): Promise<Obj> {
  const spec = pod['spec'] as { containers: { name: string; image?: string }[] };
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const status = {
    phase: 'Running',
    podIP,
    podIPs: [{ ip: podIP }],
    hostIP: '172.18.0.2',
    startTime: now,
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
      type,
      status: 'True',
      lastTransitionTime: now,
    })),
    containerStatuses: spec.containers.map((c) => ({
      name: c.name,
      image: c.image ?? 'unknown',
      imageID: '',
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
  const name = String((pod['metadata'] as Obj)['name']);
  const path = `/api/v1/namespaces/${namespace}/pods/${name}/status`;
  return (
    await expectOk(client.call('PATCH', path, { status }, 'application/merge-patch+json'), `status of pod ${name}`)
  ).json();
}

/** Creates a pod from `template` (owned by `owner` when given) and marks it Running. */
export async function createRunningPod(
  client: RestClient,
  namespace: string,
  name: string,
  template: Obj,
  owner?: Obj,
) {
  const meta = (template['metadata'] ?? {}) as Obj;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...meta, name, namespace, ...(owner ? { ownerReferences: [owner] } : {}) },
    spec: { ...(template['spec'] as Obj), nodeName: 'node-1' },
  };
  const created = (
    await expectOk(client.call('POST', `/api/v1/namespaces/${namespace}/pods`, pod), `create pod ${name}`)
  ).json();
  return markRunning(client, namespace, created, nextPodIp());
}

/** For every Deployment in `namespace`: one ReplicaSet and `replicas` (default 1) running pods. */
export async function materializeDeployments(client: RestClient, namespace: string): Promise<number> {
  const ns = (await expectOk(client.call('GET', `/api/v1/namespaces/${namespace}`), `namespace ${namespace}`)).json();
  const nsLabels = ((ns['metadata'] as Obj)['labels'] ?? {}) as Record<string, string>;
  const list = (
    await expectOk(client.call('GET', `/apis/apps/v1/namespaces/${namespace}/deployments`), 'list deployments')
  ).json();
  let pods = 0;
  for (const d of list['items'] as Obj[]) {
    const meta = d['metadata'] as Obj;
    const spec = d['spec'] as Obj;
    const declared = spec['template'] as Obj;
    const tmeta = (declared['metadata'] ?? {}) as Obj;
    const inject = injects(namespace, nsLabels, (tmeta['labels'] ?? {}) as Obj, (tmeta['annotations'] ?? {}) as Obj);
    const template = inject ? injected(declared, String(meta['name'])) : declared;
    const rsName = `${String(meta['name'])}-${hash(JSON.stringify(template))}`;
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace,
        labels: (template['metadata'] as Obj)['labels'],
        ownerReferences: [ownerRef(d, 'Deployment', 'apps/v1')],
      },
      spec: { replicas: spec['replicas'] ?? 1, selector: spec['selector'], template },
    };
    const createdRs = (
      await expectOk(
        client.call('POST', `/apis/apps/v1/namespaces/${namespace}/replicasets`, rs),
        `create ReplicaSet ${rsName}`,
      )
    ).json();
    const replicas = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
    for (let i = 0; i < replicas; i++) {
      await createRunningPod(
        client,
        namespace,
        `${rsName}-${hash(`${rsName}/${i}`).slice(0, 5)}`,
        template,
        ownerRef(createdRs, 'ReplicaSet', 'apps/v1'),
      );
      pods++;
    }
  }
  return pods;
}
