/** Which pod `meshdbg authz-check POD` means: on the cluster (as istioctl reads it) and in the --from manifests. */
import { resolvePeer } from '../engine/index.js';
import type { Pod } from '../model/k8s.js';
import type { Snapshot } from '../model/snapshot.js';
import type { PodRef } from '../sources/envoy-admin/proxy-control.js';
import { inputError } from '../util/errors.js';

/**
 * `POD.NAMESPACE` split at the last dot, and `pod/POD[.NAMESPACE]`, as istioctl reads its pod argument
 * (istio/istio:istioctl/pkg/util/handlers/handlers.go, inferNsInfo); also `NAMESPACE/POD`.
 * `fallbackNamespace`: -n, else the kube context's namespace. null: not a pod spelling.
 */
export function parsePodText(text: string, fallbackNamespace: string): PodRef | null {
  const parts = text.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) return null;
  if (parts.length === 2) {
    const [head, tail] = parts as [string, string];
    return /^(po|pod|pods)$/i.test(head) ? parsePodText(tail, fallbackNamespace) : { namespace: head, name: tail };
  }
  const dot = text.lastIndexOf('.');
  if (dot <= 0 || dot === text.length - 1) return { namespace: fallbackNamespace, name: text };
  return { namespace: text.slice(dot + 1), name: text.slice(0, dot) };
}

export function podRefFromText(text: string, fallbackNamespace: string): PodRef {
  const ref = parsePodText(text, fallbackNamespace);
  if (ref === null)
    throw inputError(
      'bad-flag',
      `authz-check: "${text}" is not a pod`,
      'write POD.NAMESPACE, NAMESPACE/POD, or POD with -n',
    );
  return ref;
}

/** The pod in the manifests: any spelling explain takes (pod, workload, NAME.NS, NS/KIND/NAME). */
export function podInSnapshot(snapshot: Snapshot, text: string, namespace: string | null): Pod {
  const ref = parsePodText(text, namespace ?? 'default');
  const exact = ref && snapshot.pods.find((p) => p.namespace === ref.namespace && p.name === ref.name);
  if (exact) return exact;
  const r = resolvePeer(snapshot, text, 'source', namespace);
  if ('kind' in r) {
    throw inputError(r.code, `authz-check --from: ${r.message}`, undefined, r.candidates);
  }
  const pods =
    r.type === 'group' ? (r.pod ? [r.pod] : r.group.pods) : r.type === 'service' ? r.groups.flatMap((g) => g.pods) : [];
  const pod = pods[0];
  if (!pod) throw inputError('unknown-peer', `authz-check --from: "${text}" names no pod in the manifests`);
  return pod;
}
