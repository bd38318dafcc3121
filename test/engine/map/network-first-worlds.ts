/**
 * Seeded random sidecar meshes where NetworkPolicy closes some pairs and conditions sit on every
 * side of the denial: at the destination's Envoy (an ext_authz CUSTOM provider meshdbg cannot ask:
 * not reached behind a NetworkPolicy drop), flow-level (a CiliumNetworkPolicy meshdbg does not
 * evaluate) and at the source's routing (the mesh layer: EnvoyFilter, Sidecar egress scope).
 * Object shapes follow test/engine/explain/unreached-conditions.test.ts.
 */
import { seededRandom } from '../../../src/util/random.js';
import { SAMPLE_EXT_AUTHZ_MESH, SLEEP_AND_HTTPBIN } from '../../helpers/ext-authz-mesh.js';

export const WORLD_PODS = ['foo/Pod/sleep', 'foo/Pod/httpbin', 'bar/Pod/web'] as const;
export const WORLD_PORTS = [53, 80, 8000, 9090] as const;

const BASE = `${SAMPLE_EXT_AUTHZ_MESH}${SLEEP_AND_HTTPBIN}apiVersion: v1
kind: Service
metadata: {name: httpbin, namespace: foo}
spec: {selector: {app: httpbin}, clusterIP: 10.96.0.2, ports: [{name: http, port: 8000, targetPort: 8000}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: bar, labels: {app: web}}
spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
status: {podIP: 10.2.0.1}
`;

/** Each piece is in a world with probability 1/2. */
const PIECES = {
  extAuthzHttpbin: `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext-authz, namespace: foo}
spec: {action: CUSTOM, provider: {name: sample-ext-authz}, selector: {matchLabels: {app: httpbin}}, rules: [{}]}`,
  extAuthzSleep: `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext-authz-sleep, namespace: foo}
spec: {action: CUSTOM, provider: {name: sample-ext-authz}, selector: {matchLabels: {app: sleep}}, rules: [{}]}`,
  denyIngressHttpbin: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: httpbin-closed, namespace: foo}
spec: {podSelector: {matchLabels: {app: httpbin}}, policyTypes: [Ingress]}`,
  allowIngressHttpbin8000: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: httpbin-8000, namespace: foo}
spec: {podSelector: {matchLabels: {app: httpbin}}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {}}], ports: [{port: 8000}]}]}`,
  denyEgressSleep: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: sleep-closed, namespace: foo}
spec: {podSelector: {matchLabels: {app: sleep}}, policyTypes: [Egress]}`,
  denyIngressWeb: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-closed, namespace: bar}
spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{ports: [{port: 80}]}]}`,
  envoyFilterSleep: `
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: lua, namespace: foo}
spec: {workloadSelector: {labels: {app: sleep}}, configPatches: []}`,
  sidecarScopeSleep: `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: s, namespace: foo}
spec: {workloadSelector: {labels: {app: sleep}}, egress: [{hosts: ["./*"]}]}`,
  ciliumBar: `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: extra, namespace: bar}
spec: {endpointSelector: {matchLabels: {app: web}}, ingress: [{fromEndpoints: [{}]}]}`,
};

export interface NetworkFirstWorld {
  readonly yaml: string;
  readonly pieces: readonly string[];
}

export type Piece = keyof typeof PIECES;

export function worldWith(pieces: readonly Piece[]): NetworkFirstWorld {
  const yaml = [BASE, ...pieces.map((p) => PIECES[p])].map((d) => d.trim()).join('\n---\n');
  return { yaml: `${yaml}\n`, pieces };
}

export function networkFirstWorld(seed: number): NetworkFirstWorld {
  const r = seededRandom(seed);
  return worldWith((Object.keys(PIECES) as Piece[]).filter(() => r.next() < 0.5));
}
