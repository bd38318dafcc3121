/**
 * Identifies a pod's running proxy: `<uid>/<restartCount>` of istio-proxy (a container or a
 * native sidecar in initContainers). The log-level journal keys restores on it: a pod is
 * "gone" only on a 404 or a different uid; any other failure is `unknown` (retried later).
 */
import type { PodRef } from '../envoy-admin/proxy-control.js';
import type { KubeHttp } from './http.js';
import { KubeHttpError } from './http.js';

interface PodStatusOnly {
  metadata?: { uid?: string };
  status?: {
    containerStatuses?: { name?: string; restartCount?: number }[];
    initContainerStatuses?: { name?: string; restartCount?: number }[];
  };
}

export type ProxyIdentity =
  | { readonly state: 'found'; readonly uid: string; readonly id: string }
  | { readonly state: 'gone' }
  | { readonly state: 'unknown'; readonly reason: string };

export type ProxyIdentityReader = (pod: PodRef, signal?: AbortSignal) => Promise<ProxyIdentity>;

/** What the journal records when the pod could not be read while raising: checked again at restore. */
export const UNKNOWN_IDENTITY = '?/?';

/** The pod uid part of a journal identity, or null when it was not known. */
export function uidOfIdentity(identity: string | null): string | null {
  const uid = identity?.split('/')[0] ?? '';
  return uid === '' || uid === '?' ? null : uid;
}

export function kubeProxyIdentity(http: KubeHttp): ProxyIdentityReader {
  return async (pod, signal) => {
    try {
      const obj = await http.getJson<PodStatusOnly>(
        `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}`,
        { signal },
      );
      const statuses = [...(obj.status?.containerStatuses ?? []), ...(obj.status?.initContainerStatuses ?? [])];
      const proxy = statuses.find((s) => s.name === 'istio-proxy');
      const uid = obj.metadata?.uid ?? '?';
      return { state: 'found', uid, id: `${uid}/${proxy?.restartCount ?? 0}` };
    } catch (err) {
      if (err instanceof KubeHttpError && err.status === 404) return { state: 'gone' };
      return { state: 'unknown', reason: (err as Error).message };
    }
  };
}
