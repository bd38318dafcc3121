/**
 * ServiceAccount labels in Calico matching, against Calico's own cases
 * (test/fixtures/calico/service-account-cases.json, provenance inside): a pod inherits its
 * ServiceAccount's labels prefixed `pcsa.` (ServiceAccountToProfile), and a rule's serviceAccounts
 * / a policy's serviceAccountSelector is Calico's translated selector on those labels. Each
 * endpoint is checked twice: against the expectation written in the fixture, and against Calico's
 * translated selector evaluated on the endpoint labels we build.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { calicoPeers, workloadEndpointLabels } from '../../../src/engine/calico/endpoint.js';
import { calicoPolicySelects } from '../../../src/engine/calico/members.js';
import { calicoSelectorMatches, parseCalicoSelector } from '../../../src/model/calico/selector.js';
import { ruleMatches, type CalicoPacket } from '../../../src/engine/calico/rule-match.js';
import type { Pod } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/model/snapshot.js';

type Labels = Record<string, string>;
interface Endpoint {
  namespace?: string;
  nsLabels?: Labels;
  serviceAccount?: string;
  saLabels: Labels;
  podLabels?: Labels;
  matches: boolean;
}
interface Cases {
  profiles: {
    from: string;
    serviceAccount: { name: string; labels: Labels };
    expectedLabels: Labels;
    exactly?: boolean;
  }[];
  rules: {
    from: string;
    policyNamespace: string | null;
    side: 'source' | 'destination';
    entity: unknown;
    translatedSelector: string;
    endpoints: Endpoint[];
  }[];
  policies: { from: string; spec: Labels; translatedSelector: string; endpoints: Endpoint[] }[];
}

const cases = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/service-account-cases.json', import.meta.url), 'utf8'),
) as Cases;

const json = (v: unknown): string => JSON.stringify(v);

/** A namespace, a labelled ServiceAccount and a pod running as it; `extra` adds policies. */
function world(e: Omit<Endpoint, 'matches'>, extra = ''): { snapshot: Snapshot; pod: Pod } {
  const ns = e.namespace ?? 'default';
  const sa = e.serviceAccount ?? 'sa';
  const snapshot = snapshotFromYaml(`
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}, labels: ${json(e.nsLabels ?? {})}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ${sa}, namespace: ${ns}, labels: ${json(e.saLabels)}}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ${ns}, labels: ${json(e.podLabels ?? {})}}
spec: {serviceAccountName: ${sa}, containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.1}
${extra}`);
  expect(snapshot.findings.filter((f) => f.severity === 'error')).toEqual([]);
  const pod = snapshot.pods[0];
  if (!pod) throw new Error('no pod');
  return { snapshot, pod };
}

function translated(selector: string, snapshot: Snapshot, pod: Pod): boolean {
  const parsed = parseCalicoSelector(selector);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return calicoSelectorMatches(parsed.node, workloadEndpointLabels(snapshot, pod));
}

describe('the ksa.<ns>.<sa> profile labels a pod inherits (conversion.go ServiceAccountToProfile)', () => {
  for (const c of cases.profiles)
    it(c.from, () => {
      const { snapshot, pod } = world({ serviceAccount: c.serviceAccount.name, saLabels: c.serviceAccount.labels });
      const pcsa = Object.fromEntries(
        Object.entries(workloadEndpointLabels(snapshot, pod)).filter(([k]) => k.startsWith('pcsa.')),
      );
      if (c.exactly) expect(pcsa).toEqual(c.expectedLabels);
      else expect(pcsa).toMatchObject(c.expectedLabels);
    });
});

describe("a rule's serviceAccounts (rules.go parseServiceAccounts)", () => {
  for (const c of cases.rules)
    describe(c.from, () => {
      for (const [i, e] of c.endpoints.entries())
        it(`endpoint ${i}: ${e.namespace}/${e.serviceAccount} ${json(e.saLabels)} ${e.matches ? 'matches' : 'does not match'}`, () => {
          const direction = c.side === 'source' ? 'ingress' : 'egress';
          const policy = c.policyNamespace
            ? `kind: NetworkPolicy\nmetadata: {name: r, namespace: ${c.policyNamespace}}`
            : 'kind: GlobalNetworkPolicy\nmetadata: {name: r}';
          const { snapshot, pod } = world(
            e,
            `---\napiVersion: projectcalico.org/v3\n${policy}\nspec: {${direction}: [{action: Allow, ${c.side}: ${json(c.entity)}}]}`,
          );
          const rule = snapshot.calico?.policies[0]?.[direction][0];
          if (!rule) throw new Error('no rule');
          const peer = calicoPeers(snapshot, { type: 'pod', pod }, 80)[0];
          if (!peer) throw new Error('no peer');
          const packet: CalicoPacket = { protocol: 'TCP', icmp: null, source: peer, destination: peer };
          const got = ruleMatches(rule, packet, c.policyNamespace);
          expect(got).toBe(e.matches);
          expect(got).toBe(translated(c.translatedSelector, snapshot, pod));
        });
    });
});

describe("a policy's serviceAccountSelector (globalnetworkpolicyprocessor.go)", () => {
  for (const c of cases.policies)
    describe(c.from, () => {
      for (const [i, e] of c.endpoints.entries())
        it(`endpoint ${i}: pod ${json(e.podLabels)} sa ${json(e.saLabels)}`, () => {
          const { snapshot, pod } = world(
            e,
            `---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: g}\nspec: ${json({ ...c.spec, ingress: [{ action: 'Allow' }] })}`,
          );
          const policy = snapshot.calico?.policies[0];
          if (!policy) throw new Error('no policy');
          expect(calicoPolicySelects(snapshot, policy, pod)).toBe(e.matches);
          expect(calicoPolicySelects(snapshot, policy, pod)).toBe(translated(c.translatedSelector, snapshot, pod));
        });
    });
});
