/** Which istiod serves a sidecar (its revision), and the standard one assumed when none is in the input. */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { assumedPod } from '../../model/assumed-pod.js';

export function isIstiod(pod: Pod): boolean {
  return pod.labels['app'] === 'istiod' || pod.labels['istio'] === 'pilot';
}

export function revisionOf(snapshot: Snapshot, pod: Pod): string {
  return pod.labels['istio.io/rev'] ?? snapshot.namespaces.get(pod.namespace)?.labels['istio.io/rev'] ?? 'default';
}

function assumedIstiod(snapshot: Snapshot, revision: string): Pod {
  return assumedPod({
    namespace: snapshot.istio.mesh.istioNamespace,
    name: revision === 'default' ? 'istiod' : `istiod-${revision}`,
    labels: { app: 'istiod', istio: 'pilot', 'istio.io/rev': revision },
    serviceAccount: 'istiod',
    containers: [
      { name: 'discovery', ports: [{ name: 'grpc-xds', containerPort: 15012, protocol: 'TCP' }], restartPolicy: null },
    ],
    owner: { kind: 'Deployment', name: 'istiod' },
  });
}

export interface IstiodChoice {
  readonly pod: Pod;
  readonly assumed: boolean;
}

const cache = new WeakMap<Snapshot, Map<string, IstiodChoice>>();

export function istiodFor(snapshot: Snapshot, revision: string): IstiodChoice {
  let byRev = cache.get(snapshot);
  if (!byRev) cache.set(snapshot, (byRev = new Map()));
  let choice = byRev.get(revision);
  if (!choice) {
    const all = snapshot.pods.filter(isIstiod);
    const pod = all.find((p) => (p.labels['istio.io/rev'] ?? 'default') === revision) ?? all[0];
    choice = pod ? { pod, assumed: false } : { pod: assumedIstiod(snapshot, revision), assumed: true };
    byRev.set(revision, choice);
  }
  return choice;
}

const dnsCache = new WeakMap<Snapshot, Pod>();

/**
 * kube-dns, or the standard one assumed when the input lacks it; one object per Snapshot, so the
 * pod-to-pod reachability memo (canConnect) answers every flow's DNS check after the first.
 */
export function kubeDns(snapshot: Snapshot): Pod {
  let pod = dnsCache.get(snapshot);
  if (!pod) dnsCache.set(snapshot, (pod = findOrAssumeKubeDns(snapshot)));
  return pod;
}

function findOrAssumeKubeDns(snapshot: Snapshot): Pod {
  const found = snapshot.index.podsByNamespace.get('kube-system')?.find((p) => p.labels['k8s-app'] === 'kube-dns');
  return (
    found ?? {
      namespace: 'kube-system',
      name: 'coredns',
      labels: { 'k8s-app': 'kube-dns' },
      annotations: {},
      ip: null,
      hostNetwork: false,
      serviceAccount: 'coredns',
      containers: [
        { name: 'coredns', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }], restartPolicy: null },
      ],
      initContainers: [],
      owners: [{ kind: 'Deployment', name: 'coredns' }],
      fromTemplate: true,
      nodeName: null,
      phase: null,
      ready: null,
      restarts: 0,
      loc: null,
    }
  );
}
