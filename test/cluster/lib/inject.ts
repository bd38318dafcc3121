/**
 * What Istio's sidecar injector would add to a pod, for pods made without istiod: the webhook's
 * selection (namespace label istio-injection=enabled or istio.io/rev, else the pod label
 * sidecar.istio.io/inject=true; "false" on the pod wins; never kube-system/kube-public:
 * https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy)
 * and the native-sidecar istio-proxy init container with the labels the injection template sets
 * (istio/istio manifests/charts/istio-control/istio-discovery/files/injection-template.yaml).
 */
type Obj = Record<string, unknown>;

const NEVER = new Set(['kube-system', 'kube-public']);

export function injects(
  namespace: string,
  nsLabels: Readonly<Record<string, string>>,
  podLabels: Obj,
  podAnnotations: Obj,
) {
  if (NEVER.has(namespace)) return false;
  const pod = podLabels['sidecar.istio.io/inject'] ?? podAnnotations['sidecar.istio.io/inject'];
  if (pod === 'false') return false;
  if (nsLabels['istio-injection'] !== undefined) return nsLabels['istio-injection'] === 'enabled';
  if (nsLabels['istio.io/rev'] !== undefined || podLabels['istio.io/rev'] !== undefined) return true;
  return pod === 'true';
}

/** The pod template with istio-proxy added as the injector would admit it. */
export function injected(template: Obj, canonicalName: string): Obj {
  const meta = (template['metadata'] ?? {}) as Obj;
  const labels = (meta['labels'] ?? {}) as Record<string, string>;
  const spec = (template['spec'] ?? {}) as Obj;
  const proxy = {
    name: 'istio-proxy',
    image: 'docker.io/istio/proxyv2:1.28.0',
    restartPolicy: 'Always',
    ports: [{ name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' }],
  };
  return {
    ...template,
    metadata: {
      ...meta,
      labels: {
        ...labels,
        'security.istio.io/tlsMode': 'istio',
        'service.istio.io/canonical-name': labels['app.kubernetes.io/name'] ?? labels['app'] ?? canonicalName,
        'service.istio.io/canonical-revision': labels['app.kubernetes.io/version'] ?? labels['version'] ?? 'latest',
      },
    },
    spec: { ...spec, initContainers: [...((spec['initContainers'] as unknown[]) ?? []), proxy] },
  };
}
