/**
 * The NetworkPolicy layers are one module for every data plane (src/engine/explain/network-layers.ts):
 * what one reports, all report. AdminNetworkPolicies that share a priority and act differently on a
 * flow have an undefined order ("it is undefined which policy takes precedence",
 * https://network-policy-api.sigs.k8s.io/api-overview/ "Priority"), and every data plane says so.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { deploy, namespace, service, shop } from '../ambient/world.js';

function anp(name: string, action: 'Allow' | 'Deny'): string {
  return `---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec:
  priority: 10
  subject: {namespaces: {}}
  ingress: [{name: r, action: ${action}, from: [{namespaces: {}}]}]
`;
}

const TIED = anp('tied-allow', 'Allow') + anp('tied-deny', 'Deny');
const side = namespace('side', 'istio-injection: enabled') + deploy('side', 'api') + service('side', 'api');
const out = namespace('out', 'team: x') + deploy('out', 'db') + deploy('out', 'web') + service('out', 'db');

describe('every data plane reports AdminNetworkPolicies of one priority that disagree', () => {
  it.each([
    ['sidecar (no mesh)', 'out/web', 'out/db'],
    ['ambient to ambient', 'shop/client', 'shop/server'],
    ['ambient to sidecar (interop)', 'shop/client', 'side/api'],
    ['ambient to out of mesh', 'shop/client', 'out/db'],
  ])('%s', (_, src, dst) => {
    const e = explainOk(snapshotFromYaml(shop(side + out + TIED)), { src, dst, port: 80, http: null });
    expect(e.verdict).toBe('conditional');
    expect(e.conditions.filter((c) => c.code === 'undefined-order').map((c) => c.message)).toEqual([
      expect.stringMatching(/tied-(allow|deny), tied-(allow|deny) share a priority/),
    ]);
  });
});
