import { describe, expect, it } from 'vitest';
import { ConvertContext } from '../../../src/model/convert/context.js';
import { convertCalicoRule } from '../../../src/model/convert/calico-rule.js';
import type { Finding } from '../../../src/model/findings.js';
import { ruleMatches, type CalicoPacket, type CalicoPeer } from '../../../src/engine/calico/rule-match.js';

/** A rule from its YAML-ish JSON, converted as the manifests are. */
function rule(json: Record<string, unknown>) {
  const sink: Finding[] = [];
  const ctx = new ConvertContext(
    { object: {}, loc: null, lines: null },
    { kind: 'NetworkPolicy', namespace: 'shop', name: 'p' },
    sink,
  );
  const r = convertCalicoRule(json, 'spec.ingress[0]', 'ingress', ctx);
  if (!r || sink.length) throw new Error(JSON.stringify(sink));
  return r;
}

const web: CalicoPeer = {
  labels: { app: 'web', 'projectcalico.org/namespace': 'shop', 'projectcalico.org/serviceaccount': 'web-sa' },
  namespace: 'shop',
  namespaceLabels: { 'projectcalico.org/name': 'shop', team: 'a' },
  serviceAccount: 'web-sa',
  serviceAccountLabels: { tier: 'front' },
  serviceAccountLabelsComplete: true,
  ip: '10.0.1.5',
  port: 43210,
  namedPorts: {},
};
const api: CalicoPeer = {
  ...web,
  labels: { app: 'api' },
  serviceAccount: 'api-sa',
  ip: '10.0.2.7',
  port: 8080,
  namedPorts: { http: { port: 8080, protocol: 'TCP' } },
};
const tcp: CalicoPacket = { protocol: 'TCP', icmp: null, source: web, destination: api };

describe('Calico rule matching (policy_common.go EntityRule)', () => {
  it('source selector within the policy namespace; another namespace needs namespaceSelector', () => {
    expect(ruleMatches(rule({ action: 'Allow', source: { selector: "app == 'web'" } }), tcp, 'shop')).toBe(true);
    expect(ruleMatches(rule({ action: 'Allow', source: { selector: "app == 'web'" } }), tcp, 'other')).toBe(false);
    const cross = rule({ action: 'Allow', source: { selector: "app == 'web'", namespaceSelector: "team == 'a'" } });
    expect(ruleMatches(cross, tcp, 'other')).toBe(true);
  });
  it('ports: numbers, ranges, named ports on the destination, notPorts', () => {
    expect(
      ruleMatches(rule({ action: 'Allow', protocol: 'TCP', destination: { ports: ['8000:8100'] } }), tcp, 'shop'),
    ).toBe(true);
    expect(ruleMatches(rule({ action: 'Allow', protocol: 'TCP', destination: { ports: ['http'] } }), tcp, 'shop')).toBe(
      true,
    );
    expect(
      ruleMatches(rule({ action: 'Allow', protocol: 'TCP', destination: { notPorts: [8080] } }), tcp, 'shop'),
    ).toBe(false);
  });
  it('protocols by name and number; notProtocol', () => {
    expect(ruleMatches(rule({ action: 'Allow', protocol: 6 }), tcp, 'shop')).toBe(true);
    expect(ruleMatches(rule({ action: 'Allow', protocol: 'UDP' }), tcp, 'shop')).toBe(false);
    expect(ruleMatches(rule({ action: 'Allow', notProtocol: 'TCP' }), tcp, 'shop')).toBe(false);
  });
  it('ICMP type and code', () => {
    const ping: CalicoPacket = { ...tcp, protocol: 'ICMP', icmp: { type: 8, code: 0 } };
    expect(ruleMatches(rule({ action: 'Allow', protocol: 'ICMP', icmp: { type: 8 } }), ping, 'shop')).toBe(true);
    expect(ruleMatches(rule({ action: 'Allow', protocol: 'ICMP', icmp: { type: 0 } }), ping, 'shop')).toBe(false);
  });
  // projectcalico/calico:felix/nftables/match_builder.go NotICMPType renders `icmp type != N`, which nft
  // restricts to ICMP packets; policy_common.go admits notICMP without a protocol.
  it('notICMP matches ICMP of another type only, never a TCP packet', () => {
    const ping: CalicoPacket = { ...tcp, protocol: 'ICMP', icmp: { type: 8, code: 0 } };
    const reply: CalicoPacket = { ...tcp, protocol: 'ICMP', icmp: { type: 0, code: 0 } };
    const notEcho = rule({ action: 'Deny', notICMP: { type: 8 } });
    expect(ruleMatches(notEcho, reply, 'shop')).toBe(true);
    expect(ruleMatches(notEcho, ping, 'shop')).toBe(false);
    expect(ruleMatches(notEcho, tcp, 'shop')).toBe(false);
  });
  it('nets and notNets on the peer address', () => {
    expect(ruleMatches(rule({ action: 'Allow', source: { nets: ['10.0.0.0/16'] } }), tcp, 'shop')).toBe(true);
    expect(ruleMatches(rule({ action: 'Allow', source: { notNets: ['10.0.1.0/24'] } }), tcp, 'shop')).toBe(false);
  });
  it('serviceAccounts by name and by selector on the ServiceAccount labels', () => {
    expect(
      ruleMatches(rule({ action: 'Allow', source: { serviceAccounts: { names: ['web-sa'] } } }), tcp, 'shop'),
    ).toBe(true);
    expect(
      ruleMatches(rule({ action: 'Allow', source: { serviceAccounts: { selector: "tier == 'back'" } } }), tcp, 'shop'),
    ).toBe(false);
  });
  it('a selector never matches a plain address', () => {
    const external: CalicoPacket = { ...tcp, source: { ...web, labels: null, namespace: null } };
    expect(ruleMatches(rule({ action: 'Allow', source: { selector: 'all()' } }), external, null)).toBe(false);
    expect(ruleMatches(rule({ action: 'Allow' }), external, null)).toBe(true);
  });
});
