/** A small ambient mesh in YAML, for the ambient engine tests (rules cited in each test). */
export function deploy(ns: string, name: string, extra: { labels?: string; port?: number; sa?: string } = {}): string {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}${extra.labels ? `, ${extra.labels}` : ''}}}
    spec:
      serviceAccountName: ${extra.sa ?? name}
      containers: [{name: app, ports: [{name: http, containerPort: ${extra.port ?? 8080}}]}]
`;
}

export function service(ns: string, name: string, labels = '', port = 80, target = 8080): string {
  return `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}${labels ? `, labels: {${labels}}` : ''}}
spec:
  clusterIP: 10.96.0.${[...name].reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 250, 7) + 1}
  selector: {app: ${name}}
  ports: [{name: http, port: ${port}, targetPort: ${target}}]
`;
}

export function namespace(name: string, labels = 'istio.io/dataplane-mode: ambient'): string {
  return `---
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {${labels}}}
`;
}

export function waypoint(ns: string, name = 'waypoint', forWhat = 'service', more = ''): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${ns}, labels: {istio.io/waypoint-for: ${forWhat}}}
spec:
  gatewayClassName: istio-waypoint
  listeners: [{name: mesh, port: 15008, protocol: HBONE${more}}]
`;
}

export function authz(ns: string, name: string, spec: string): string {
  return `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ${name}, namespace: ${ns}}
spec: ${spec}
`;
}

/** shop (ambient): client, server (Service `server` on 80 -> 8080); a service waypoint when asked. */
export function shop(extra = '', serviceLabels = ''): string {
  return (
    namespace('shop') +
    deploy('shop', 'client') +
    deploy('shop', 'server') +
    service('shop', 'server', serviceLabels) +
    extra
  );
}
