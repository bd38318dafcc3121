/**
 * Facts the engine keeps per pod are kept per Snapshot: after a live update the new Snapshot may
 * share its pod objects with the old one, yet differ in a Service or a NetworkPolicy, and must be
 * answered from its own objects. Each case asks old, new, old again through the same code path.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../../../src/engine/explain.js';
import type { Explanation } from '../../../src/engine/explanation.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { podYaml } from '../../helpers/pod-yaml.js';
import { query, snapshotFromYaml } from '../../helpers/snapshot.js';

const WORLD = [
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {istio-injection: enabled}}',
  podYaml({
    name: 'istiod-1',
    namespace: 'istio-system',
    ip: '10.0.9.1',
    labels: { app: 'istiod', istio: 'pilot' },
    ports: [15012],
  }),
  podYaml({ name: 'client', namespace: 'a', ip: '10.0.1.1', sidecar: true }),
  podYaml({
    name: 'server',
    namespace: 'a',
    ip: '10.0.1.2',
    labels: { app: 'server', 'security.istio.io/tlsMode': 'istio' },
    sidecar: true,
    ports: [8080],
  }),
  'apiVersion: v1\nkind: Service\nmetadata: {name: server, namespace: a}\nspec: {selector: {app: server}, ports: [{name: grpc-api, port: 80, targetPort: 8080}]}',
].join('\n---\n');

/** Denies every egress of the client: its sidecar no longer reaches istiod. */
const DENY_CLIENT_EGRESS = `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: a}
spec: {podSelector: {matchLabels: {app: client}}, policyTypes: [Egress]}
`;

/** Allows the client only under the trust domain `other.domain` (an alias of cluster.local in one Snapshot). */
const ALLOW_OTHER_DOMAIN = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-other-domain, namespace: a}
spec:
  selector: {matchLabels: {app: server}}
  action: ALLOW
  rules: [{from: [{source: {principals: [other.domain/ns/a/sa/default]}}]}]`;

function answer(snapshot: Snapshot): Explanation {
  const e = explain(snapshot, query({ src: 'a/client', dst: 'a/server', port: 8080 }));
  if (e.kind === 'Error') throw new Error(e.message);
  return e;
}

describe('per-pod facts are per Snapshot', () => {
  const old = snapshotFromYaml(WORLD);

  it('a pod port takes its protocol from the Services of its own Snapshot', () => {
    const withoutService: Snapshot = {
      ...old,
      services: [],
      index: { ...old.index, servicesByNamespace: new Map() },
    };
    const protocols = [old, withoutService, old].map((s) => answer(s).request.appProtocol);
    expect(protocols).toEqual(['grpc', null, 'grpc']);
  });

  it("a sidecar's reach to istiod is judged under the NetworkPolicies of its own Snapshot", () => {
    const policies = snapshotFromYaml(WORLD + DENY_CLIENT_EGRESS).networkPolicies;
    const denying: Snapshot = {
      ...old,
      networkPolicies: policies,
      index: { ...old.index, networkPoliciesByNamespace: new Map([['a', policies]]) },
    };
    const mesh = [old, denying, old].map((s) => answer(s).steps.find((step) => step.layer === 'mesh'));
    expect(mesh.map((m) => m?.verdict)).toEqual(['allowed', 'denied', 'allowed']);
    expect(mesh[1]?.summary).toContain('source sidecar a/client cannot reach istiod on TCP 15012');
  });

  it("ALLOW principals are expanded with the trust domain aliases of the Snapshot's own mesh config", () => {
    const allowOther = snapshotFromYaml(`${WORLD}\n---\n${ALLOW_OTHER_DOMAIN}`);
    const aliased: Snapshot = {
      ...allowOther,
      istio: { ...allowOther.istio, mesh: { ...allowOther.istio.mesh, trustDomainAliases: ['other.domain'] } },
    };
    const allow = [allowOther, aliased, allowOther].map(
      (s) => answer(s).steps.find((step) => step.layer === 'authz-allow')?.verdict,
    );
    expect(allow).toEqual(['denied', 'allowed', 'denied']);
  });
});
