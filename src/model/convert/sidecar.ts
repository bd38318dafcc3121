/**
 * Sidecar presence and injection inference (https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/).
 * A live pod has a sidecar iff `istio-proxy` is a container, or a native sidecar
 * (init container with restartPolicy Always). Template pods get what the injector would add.
 */
import type { Container, Labels, Namespace, Pod } from '../k8s.js';

export const PROXY_CONTAINER = 'istio-proxy';
const NEVER_INJECTED_NAMESPACES = new Set(['kube-system', 'kube-public']);

/**
 * ztunnel's DaemonSet pods (label app: ztunnel) run a container named istio-proxy but are the node
 * proxy, never a sidecar (istio/istio manifests/charts/ztunnel/templates/daemonset.yaml: labels
 * app: ztunnel, sidecar.istio.io/inject: "false", istio.io/dataplane-mode: none). Istio tells them
 * apart by that label: istio/istio cni/pkg/util/podutil.go IsZtunnelPod and
 * istioctl/pkg/util/ambient/util.go IsZtunnelPod.
 */
export function isZtunnelPod(pod: Pod): boolean {
  return pod.labels['app'] === 'ztunnel';
}

export function podHasSidecar(pod: Pod): boolean {
  if (isZtunnelPod(pod)) return false;
  return (
    pod.containers.some((c) => c.name === PROXY_CONTAINER) ||
    pod.initContainers.some((c) => c.name === PROXY_CONTAINER && c.restartPolicy === 'Always')
  );
}

export type InjectionDecision = { readonly inject: boolean; readonly reason: string; readonly revision: string | null };

/** The injection webhook's decision for a template pod, with the reason in words. */
export function injectionDecision(pod: Pod, namespace: Namespace | undefined): InjectionDecision {
  const no = (reason: string): InjectionDecision => ({ inject: false, reason, revision: null });
  if (pod.hostNetwork) return no('hostNetwork pods are never injected');
  if (NEVER_INJECTED_NAMESPACES.has(pod.namespace)) return no(`pods in ${pod.namespace} are never injected`);
  const podLabel = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'] ?? null;
  if (podLabel === 'false') return no('pod label sidecar.istio.io/inject: "false"');
  const nsLabels: Labels = namespace?.labels ?? {};
  const nsInjection = nsLabels['istio-injection'] ?? null;
  if (nsInjection === 'enabled')
    return { inject: true, reason: 'namespace label istio-injection=enabled', revision: 'default' };
  if (nsInjection !== null) return no(`namespace label istio-injection=${nsInjection}`);
  const nsRev = nsLabels['istio.io/rev'] ?? null;
  if (nsRev !== null) return { inject: true, reason: `namespace label istio.io/rev=${nsRev}`, revision: nsRev };
  const podRev = pod.labels['istio.io/rev'] ?? null;
  if (podRev !== null) return { inject: true, reason: `pod label istio.io/rev=${podRev}`, revision: podRev };
  if (podLabel === 'true')
    return { inject: true, reason: 'pod label sidecar.istio.io/inject: "true"', revision: 'default' };
  return no('no injection label on the pod or its namespace');
}

function canonicalName(pod: Pod): string {
  const owner = pod.owners[0]?.name ?? pod.name;
  return (
    pod.labels['service.istio.io/canonical-name'] ?? pod.labels['app.kubernetes.io/name'] ?? pod.labels['app'] ?? owner
  );
}

function canonicalRevision(pod: Pod): string {
  return (
    pod.labels['service.istio.io/canonical-revision'] ??
    pod.labels['app.kubernetes.io/version'] ??
    pod.labels['version'] ??
    'latest'
  );
}

const NATIVE_PROXY: Container = {
  name: PROXY_CONTAINER,
  ports: [{ name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' }],
  restartPolicy: 'Always',
};

/**
 * For template pods: the pod as the injector would admit it (native istio-proxy sidecar,
 * the default since Istio 1.27, and the injector's labels). Live pods are returned unchanged.
 */
export function applySidecarInjection(pod: Pod, namespace: Namespace | undefined): Pod {
  if (!pod.fromTemplate || podHasSidecar(pod)) return pod;
  if (!injectionDecision(pod, namespace).inject) return pod;
  return {
    ...pod,
    labels: {
      ...pod.labels,
      'security.istio.io/tlsMode': 'istio',
      'service.istio.io/canonical-name': canonicalName(pod),
      'service.istio.io/canonical-revision': canonicalRevision(pod),
    },
    initContainers: [...pod.initContainers, NATIVE_PROXY],
  };
}
