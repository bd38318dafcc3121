/** One Pod document for YAML test worlds: a name, namespace, IP, labels (default `app: NAME`), its containers. */
export interface PodYaml {
  readonly name: string;
  readonly namespace: string;
  readonly ip: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** an istio-proxy container beside the app's (an injected sidecar) */
  readonly sidecar?: boolean;
  /** the app container's ports */
  readonly ports?: readonly number[];
}

export function podYaml(pod: PodYaml): string {
  const labels = Object.entries(pod.labels ?? { app: pod.name })
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const ports = pod.ports?.length ? `, ports: [${pod.ports.map((p) => `{containerPort: ${p}}`).join(', ')}]` : '';
  const containers = [`{name: ${pod.name}${ports}}`, ...(pod.sidecar ? ['{name: istio-proxy}'] : [])].join(', ');
  return [
    'apiVersion: v1',
    'kind: Pod',
    `metadata: {name: ${pod.name}, namespace: ${pod.namespace}, labels: {${labels}}}`,
    `spec: {containers: [${containers}]}`,
    `status: {podIP: ${pod.ip}}`,
  ].join('\n');
}

/**
 * An Istio ingress gateway as a YAML document: a Deployment whose pods carry `istio: ingressgateway`
 * (and `extraLabels`, written `k: v, ...`) and run istio-proxy as their only container.
 */
export function ingressGatewayYaml(name = 'gw', namespace = 'istio-system', extraLabels = ''): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: ${name}, namespace: ${namespace}}`,
    'spec:',
    '  template:',
    `    metadata: {labels: {istio: ingressgateway${extraLabels ? `, ${extraLabels}` : ''}}}`,
    '    spec: {containers: [{name: istio-proxy}]}',
  ].join('\n');
}
