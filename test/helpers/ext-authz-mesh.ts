/**
 * Istio's ext_authz task world (https://istio.io/latest/docs/tasks/security/authorization/authz-custom/).
 * The mesh config (https://istio.io/latest/docs/tasks/security/authorization/authz-custom/):
 * an HTTP ext_authz provider `sample-ext-authz` at ext-authz.foo:8000, as an `istio` ConfigMap
 * document followed by `---`.
 */
export const SAMPLE_EXT_AUTHZ_MESH = `apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    extensionProviders:
    - name: sample-ext-authz
      envoyExtAuthzHttp: {service: ext-authz.foo.svc.cluster.local, port: 8000}
---
`;

/** Its two sidecar pods in `foo`: `sleep` (the client) and `httpbin` (HTTP on 8000), followed by `---`. */
export const SLEEP_AND_HTTPBIN = `apiVersion: v1
kind: Pod
metadata: {name: sleep, namespace: foo, labels: {app: sleep}}
spec: {serviceAccountName: sleep, containers: [{name: c}, {name: istio-proxy}]}
status: {podIP: 10.1.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: httpbin, namespace: foo, labels: {app: httpbin}}
spec: {serviceAccountName: httpbin, containers: [{name: c, ports: [{name: http, containerPort: 8000}]}, {name: istio-proxy}]}
status: {podIP: 10.1.0.2}
---
`;
