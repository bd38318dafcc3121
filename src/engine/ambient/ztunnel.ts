/**
 * ztunnel, the per-node ambient proxy: a DaemonSet in the Istio namespace (pods labelled app: ztunnel,
 * istio/istio manifests/charts/ztunnel). When the input has none, a standard one is assumed, as istiod is.
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { assumedPod } from '../../model/assumed-pod.js';
import { isZtunnelPod as isZtunnel } from '../../model/convert/sidecar.js';

export interface ZtunnelChoice {
  readonly pod: Pod;
  readonly assumed: boolean;
}

function assumedZtunnel(namespace: string): Pod {
  return assumedPod({
    namespace,
    name: 'ztunnel',
    labels: { app: 'ztunnel' },
    serviceAccount: 'ztunnel',
    containers: [{ name: 'istio-proxy', ports: [], restartPolicy: null }],
    owner: { kind: 'DaemonSet', name: 'ztunnel' },
  });
}

const cache = new WeakMap<Snapshot, ZtunnelChoice>();

export function ztunnelOf(snapshot: Snapshot): ZtunnelChoice {
  let choice = cache.get(snapshot);
  if (!choice) {
    const ns = snapshot.istio.mesh.istioNamespace;
    const found = (snapshot.index.podsByNamespace.get(ns) ?? []).find(isZtunnel) ?? snapshot.pods.find(isZtunnel);
    choice = found ? { pod: found, assumed: false } : { pod: assumedZtunnel(ns), assumed: true };
    cache.set(snapshot, choice);
  }
  return choice;
}

export function ztunnelAssumption(snapshot: Snapshot): { code: string; message: string } | null {
  const z = ztunnelOf(snapshot);
  return z.assumed
    ? {
        code: 'ztunnel-assumed',
        message: `no ztunnel in the input: assumed the standard DaemonSet in ${z.pod.namespace} (app: ztunnel) on every node`,
      }
    : null;
}
