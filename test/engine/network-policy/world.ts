/** A small cluster shared by the NetworkPolicy tests: three namespaces, a client and a server. */
import { snapshotFromYaml, explainOk, networkVerdict, type QueryInput } from '../../helpers/snapshot.js';
import type { Explanation } from '../../../src/engine/explanation.js';

export const WORLD = `
apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {team: a, kubernetes.io/metadata.name: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, labels: {team: b, kubernetes.io/metadata.name: b}}
---
apiVersion: v1
kind: Namespace
metadata: {name: c, labels: {team: c, kubernetes.io/metadata.name: c}}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec:
  containers:
  - name: app
    ports: [{name: web, containerPort: 9090}]
status: {podIP: 10.1.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: a, labels: {app: other}}
spec: {containers: [{name: app}]}
status: {podIP: 10.1.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: b, labels: {app: server}}
spec:
  nodeName: n1
  containers:
  - name: app
    ports:
    - {name: web, containerPort: 8080}
    - {name: dns, containerPort: 53, protocol: UDP}
    - {name: assoc, containerPort: 9000, protocol: SCTP}
status: {podIP: 10.2.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: c, labels: {app: client}}
spec: {containers: [{name: app}]}
status: {podIP: 10.3.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: hostnet, namespace: b, labels: {app: server}}
spec:
  nodeName: n2
  hostNetwork: true
  containers: [{name: app, ports: [{name: web, containerPort: 8080}]}]
status: {podIP: 192.168.1.5}
`;

/** Explains a flow in WORLD plus `policies` (YAML documents). */
export function explainIn(policies: string, q: QueryInput): Explanation {
  return explainOk(snapshotFromYaml(`${WORLD}\n---\n${policies}`), q);
}

/** NetworkPolicy verdicts of both directions for a flow in WORLD plus `policies`. */
export function verdictsIn(policies: string, q: QueryInput): { egress: string; ingress: string } {
  return networkVerdict(explainIn(policies, q));
}

export function ingressIn(policies: string, q: QueryInput): string {
  return verdictsIn(policies, q).ingress;
}

export function egressIn(policies: string, q: QueryInput): string {
  return verdictsIn(policies, q).egress;
}

/** A NetworkPolicy document; `spec` is YAML flow or block text indented by two spaces. */
export function np(namespace: string, name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec.replace(/^\n/, '').replace(/^/gm, '  ')}
---
`;
}

export const CLIENT_TO_SERVER = { src: 'a/client', dst: 'b/server', port: 8080 } as const;
