/**
 * CNI agent pods whose logs carry CNI health (e.g. kube-router `Aborting sync`):
 * calico-node in kube-system or calico-system, kube-router in kube-system.
 */
import type { PodRef } from '../envoy-admin/proxy-control.js';
import type { KubeHttp } from './http.js';
import { KubeHttpError } from './http.js';

export type CniName = 'calico' | 'kube-router';

export interface CniPod {
  readonly pod: PodRef;
  readonly container: string;
  readonly cni: CniName;
  readonly nodeName: string | null;
}

interface CniLookup {
  readonly namespace: string;
  readonly selector: string;
  readonly container: string;
  readonly cni: CniName;
}

export const CNI_LOOKUPS: readonly CniLookup[] = [
  { namespace: 'kube-system', selector: 'k8s-app=calico-node', container: 'calico-node', cni: 'calico' },
  { namespace: 'calico-system', selector: 'k8s-app=calico-node', container: 'calico-node', cni: 'calico' },
  { namespace: 'kube-system', selector: 'k8s-app=kube-router', container: 'kube-router', cni: 'kube-router' },
];

interface PodList {
  items?: { metadata?: { name?: string; namespace?: string }; spec?: { nodeName?: string } }[];
}

/** Lists CNI agent pods; namespaces that are missing or forbidden are reported, not fatal. */
export async function findCniPods(http: KubeHttp, signal?: AbortSignal): Promise<{ pods: CniPod[]; errors: string[] }> {
  const pods: CniPod[] = [];
  const errors: string[] = [];
  for (const lookup of CNI_LOOKUPS) {
    const path = `/api/v1/namespaces/${lookup.namespace}/pods?${new URLSearchParams({ labelSelector: lookup.selector }).toString()}`;
    try {
      const list = await http.getJson<PodList>(path, { signal });
      for (const item of list.items ?? []) {
        const name = item.metadata?.name;
        if (!name) continue;
        pods.push({
          pod: { namespace: lookup.namespace, name },
          container: lookup.container,
          cni: lookup.cni,
          nodeName: item.spec?.nodeName ?? null,
        });
      }
    } catch (err) {
      if (err instanceof KubeHttpError && err.status === 404) continue;
      errors.push(`cannot list ${lookup.selector} pods in ${lookup.namespace}: ${(err as Error).message}`);
    }
  }
  return { pods, errors };
}
