/**
 * felix named_port_index_test.go base states (provenance and mapping in the fixture): for every IP
 * set, a client's egress rule Deny {protocol, destination: {selector, ports: [named port]}} ahead of
 * an Allow must deny exactly the (address, port) pairs felix puts in that set: an address member
 * on any port, an `IP,tcp:PORT` member on that port only. Endpoints are pods, parents namespaces.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { cidrContainsIp, parseIp, parseIpOrCidr } from '../../../src/util/cidr.js';

interface NamedPortCase {
  name: string;
  endpoints: Record<
    string,
    {
      labels: Record<string, string>;
      ip: string;
      parent: string;
      ports?: { name: string; protocol: string; port: number }[];
    }
  >;
  parents: Record<string, Record<string, string>>;
  ipSets: Record<string, { selector: string; protocol?: string; port?: string }>;
  expected: Record<string, string[]>;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/felix-named-port-index-cases.json', import.meta.url), 'utf8'),
) as { provenance: string; cases: NamedPortCase[]; networkSetCases: NetworkSetCase[] };

interface NetworkSetCase {
  it: string;
  networkSets: Record<string, { nets: string[]; labels: Record<string, string> }>;
  ipSets: Record<string, { selector: string }>;
  expected: Record<string, string[]>;
}

const PROBE_PORTS = [8080, 8081, 80];

/** A parent profile's labels reach selectors as pcns.LABEL when the parent is a namespace. */
const asNamespaceLabels = (selector: string) => selector.replace(/\bparentLabel/g, 'pcns.parentLabel');

function clusterYaml(c: NamedPortCase): string {
  let yaml = `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: client}\n---
apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: client, labels: {role: client}}
spec: {containers: [{name: c, image: x}]}\nstatus: {podIP: 10.9.9.9}\n`;
  for (const [name, labels] of Object.entries(c.parents))
    yaml += `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${JSON.stringify(labels)}}\n`;
  for (const [name, e] of Object.entries(c.endpoints)) {
    const ports = (e.ports ?? []).map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol }));
    yaml += `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${e.parent}, labels: ${JSON.stringify(e.labels)}}
spec: {containers: [{name: c, image: x, ports: ${JSON.stringify(ports)}}]}\nstatus: {podIP: ${e.ip}}\n`;
  }
  return yaml;
}

function policyYaml(set: NamedPortCase['ipSets'][string]): string {
  const deny: Record<string, unknown> = {
    action: 'Deny',
    destination: { selector: asNamespaceLabels(set.selector), ...(set.port ? { ports: [set.port] } : {}) },
    ...(set.protocol ? { protocol: set.protocol } : {}),
  };
  const spec = { selector: "role == 'client'", types: ['Egress'], egress: [deny, { action: 'Allow' }] };
  return `---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: ip-set}\nspec: ${JSON.stringify(spec)}\n`;
}

describe('felix named_port_index_test.go: IP set members as egress decisions', () => {
  it('has the published cases', () => {
    expect(fixture.provenance).toContain('felix/labelindex/named_port_index_test.go');
    expect(fixture.cases.length).toBe(8);
  });

  for (const c of fixture.cases) {
    for (const [setName, set] of Object.entries(c.ipSets)) {
      it(`${c.name}: ${setName}`, () => {
        const members = new Set(c.expected[setName]);
        const snapshot = snapshotFromYaml(clusterYaml(c) + policyYaml(set));
        expect(snapshot.findings.filter((f) => f.severity === 'error')).toEqual([]);
        const disagreements: string[] = [];
        for (const [name, e] of Object.entries(c.endpoints))
          for (const port of PROBE_PORTS) {
            const want = set.port ? members.has(`${e.ip},tcp:${port}`) : members.has(`${e.ip}/32`);
            const x = explainOk(snapshot, { src: 'client/client', dst: `${e.parent}/${name}`, port, protocol: 'TCP' });
            const verdict = x.steps.find((s) => s.layer === 'networkpolicy-egress')?.verdict;
            const got = verdict === 'denied' ? true : verdict === 'allowed' ? false : verdict;
            if (got !== want) disagreements.push(`${e.ip}:${port}: felix ${want}, meshdbg ${String(got)}`);
          }
        expect(disagreements).toEqual([]);
      });
    }
  }
});

describe("felix named_port_index_test.go: network set CIDRs in a selector's IP set", () => {
  // pods by address: inside the network sets' CIDR and outside it, none with the set's labels
  const PODS: [string, string][] = [
    ['inside', '192.168.4.10'],
    ['also-inside', '192.168.20.1'],
    ['outside', '10.0.0.1'],
  ];
  for (const c of fixture.networkSetCases) {
    for (const [setName, set] of Object.entries(c.ipSets)) {
      it(`${c.it}: ${setName}`, () => {
        let yaml = `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: client}\n---
apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: client, labels: {role: client}}
spec: {containers: [{name: c, image: x}]}\nstatus: {podIP: 10.9.9.9}\n`;
        for (const [name, ns] of Object.entries(c.networkSets))
          yaml += `---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: ${name}, labels: ${JSON.stringify(ns.labels)}}\nspec: {nets: ${JSON.stringify(ns.nets)}}\n`;
        for (const [name, ip] of PODS)
          yaml += `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: client, labels: {}}
spec: {containers: [{name: c, image: x}]}\nstatus: {podIP: ${ip}}\n`;
        const snapshot = snapshotFromYaml(yaml + policyYaml(set));
        expect(snapshot.findings.filter((f) => f.severity === 'error')).toEqual([]);
        const members = (c.expected[setName] ?? []).map((m) => parseIpOrCidr(m));
        for (const [name, ip] of PODS) {
          const addr = parseIp(ip);
          const want = members.some((m) => m !== null && addr !== null && cidrContainsIp(m, addr));
          const x = explainOk(snapshot, { src: 'client/client', dst: `client/${name}`, port: 80, protocol: 'TCP' });
          const verdict = x.steps.find((s) => s.layer === 'networkpolicy-egress')?.verdict;
          expect({ pod: name, denied: verdict === 'denied' ? true : verdict === 'allowed' ? false : verdict }).toEqual({
            pod: name,
            denied: want,
          });
        }
      });
    }
  }
});
