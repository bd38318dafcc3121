import { describe, expect, it } from 'vitest';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { canConnect, evaluateEgress, evaluateIngress } from '../../../src/engine/network-policy/evaluate.js';
import type { Endpoint } from '../../../src/engine/flow.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { WORLD, np } from './world.js';

function podEndpoint(snapshot: Snapshot, ns: string, name: string): Endpoint {
  const pod = snapshot.pods.find((p) => p.namespace === ns && p.name === name);
  if (!pod) throw new Error(`no pod ${ns}/${name}`);
  return { type: 'pod', pod };
}

const snapshot = snapshotFromYaml(
  `${WORLD}\n---\n${np('b', 'allow-a', 'podSelector: {matchLabels: {app: server}}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: a}}}], ports: [{port: 8080}]}]')}${np('a', 'deny-out', 'podSelector: {matchLabels: {app: other}}\npolicyTypes: [Egress]')}`,
);
const client = podEndpoint(snapshot, 'a', 'client');
const other = podEndpoint(snapshot, 'a', 'other');
const server = podEndpoint(snapshot, 'b', 'server');
const outside: Endpoint = { type: 'ip', ip: '203.0.113.9' };

describe('evaluateIngress / evaluateEgress', () => {
  it('ingress allowed by a rule reports tier networkpolicy and the rule', () => {
    const r = evaluateIngress(snapshot, client, server, 'TCP', 8080, 'generic');
    expect(r).toMatchObject({ verdict: 'allowed', tier: 'networkpolicy' });
    expect(r.policies.map((p) => p.ruleRef)).toEqual(['NetworkPolicy:b/allow-a:ingress[0]']);
  });

  it('ingress denied by isolation lists the isolating policy and the rule that missed', () => {
    const r = evaluateIngress(snapshot, client, server, 'TCP', 9999, 'generic');
    expect(r.verdict).toBe('denied');
    expect(r.policies.map((p) => p.ruleRef)).toEqual(['NetworkPolicy:b/allow-a:ingress']);
    expect(r.misses.map((m) => m.policy.ruleRef)).toEqual(['NetworkPolicy:b/allow-a:ingress[0]']);
    expect(r.misses[0]?.clauses.some((c) => !c.ok)).toBe(true);
  });

  it('a direction no policy isolates is allowed by tier default', () => {
    expect(evaluateEgress(snapshot, client, server, 'TCP', 8080, 'generic')).toMatchObject({
      verdict: 'allowed',
      tier: 'default',
      policies: [],
    });
  });

  it('egress isolation denies', () => {
    expect(evaluateEgress(snapshot, other, server, 'TCP', 8080, 'generic').verdict).toBe('denied');
  });
});

describe('canConnect', () => {
  it('allowed when both directions allow', () => {
    expect(canConnect(snapshot, client, server, 'TCP', 8080, 'generic')).toMatchObject({
      allowed: true,
      summary: 'allowed by NetworkPolicy',
    });
  });

  it('names the blocked direction(s) and their policies', () => {
    const r = canConnect(snapshot, other, server, 'TCP', 9999, 'generic');
    expect(r.allowed).toBe(false);
    expect(r.summary).toBe('blocked by NetworkPolicy on egress and ingress');
    expect(r.policies.map((p) => p.name)).toEqual(['deny-out', 'allow-a']);
  });

  it('an out-of-cluster source is judged on the destination ingress only', () => {
    const r = canConnect(snapshot, outside, server, 'TCP', 8080, 'generic');
    expect(r.allowed).toBe(false);
    expect(r.egress.tier).toBe('default');
  });

  it('an out-of-cluster destination is judged on the source egress only', () => {
    expect(canConnect(snapshot, client, outside, 'TCP', 443, 'generic').allowed).toBe(true);
    expect(canConnect(snapshot, other, outside, 'TCP', 443, 'generic').allowed).toBe(false);
  });
});
