/**
 * The mesh config of Istio's ext_authz task (https://istio.io/latest/docs/tasks/security/authorization/authz-custom/):
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
