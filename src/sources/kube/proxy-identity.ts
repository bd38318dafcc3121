/**
 * Identifies a pod's running proxy: `<uid>/<restartCount>` of istio-proxy (a container or a
 * native sidecar in initContainers). A change means the proxy restarted with default levels.
 */
import type { PodRef } from '../envoy-admin/proxy-control.js';
import type { KubeHttp } from './http.js';

interface PodStatusOnly {
  metadata?: { uid?: string };
  status?: {
    containerStatuses?: { name?: string; restartCount?: number }[];
    initContainerStatuses?: { name?: string; restartCount?: number }[];
  };
}

export type ProxyIdentityReader = (pod: PodRef) => Promise<string | null>;

/** Reads the identity; null when the pod is gone or unreadable. */
export function kubeProxyIdentity(http: KubeHttp): ProxyIdentityReader {
  return async (pod) => {
    try {
      const obj = await http.getJson<PodStatusOnly>(
        `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}`,
      );
      const statuses = [...(obj.status?.containerStatuses ?? []), ...(obj.status?.initContainerStatuses ?? [])];
      const proxy = statuses.find((s) => s.name === 'istio-proxy');
      return `${obj.metadata?.uid ?? '?'}/${proxy?.restartCount ?? 0}`;
    } catch {
      return null;
    }
  };
}
