/**
 * The map contract (DESIGN.md "map and diff"): `map` must agree with `explain` on every pair and
 * port. Checked over seeded random NetworkPolicy and ANP/BANP worlds (the differential-test
 * generators) and over every example, at the ports policies name, the pods' ports and random ports.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planMap } from '../../../src/engine/map/connectivity-map.js';
import { seededRandom } from '../../../src/util/random.js';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { podYaml } from '../../helpers/pod-yaml.js';
import { ALL, disagreement, edgesOf, portsAround } from './agreement.js';
import { captureWorld } from './sidecar-capture-worlds.js';
import { loadExampleSnapshot } from './example-snapshot.js';
import { PODS, PROBES, generator, worldYaml } from '../network-policy/random-policies.js';
import { generate as generateAdmin, worldYaml as adminWorldYaml } from '../network-policy/admin-random-policies.js';

function randomPorts(seed: number, n: number): number[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => 1 + Math.floor(r.next() * 65535));
}

describe('map agrees with explain on random NetworkPolicy worlds', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('seed %i', (seed) => {
    const policies = generator(seed).policies();
    const snapshot = snapshotFromYaml(worldYaml(policies));
    const edges = edgesOf(snapshot);
    const ports = [...new Set([...PROBES.map((p) => p.port), ...portsAround(policies), ...randomPorts(seed, 4)])];
    const failures: string[] = [];
    for (const s of PODS) {
      for (const d of PODS) {
        if (s === d) continue;
        for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
          for (const port of ports) {
            const f = disagreement(
              snapshot,
              edges,
              `${s.namespace}/Pod/${s.name}`,
              `${d.namespace}/Pod/${d.name}`,
              protocol,
              port,
            );
            if (f) failures.push(f);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('map agrees with explain on random admin-tier worlds', () => {
  it.each(Array.from({ length: 25 }, (_, i) => i + 1))('seed %i', (seed) => {
    const world = generateAdmin(seed);
    const snapshot = snapshotFromYaml(adminWorldYaml(world));
    const edges = edgesOf(snapshot);
    const failures: string[] = [];
    const ids = snapshot.groups.map((g) => `${g.namespace}/${g.kind}/${g.name}`);
    for (const src of ids) {
      for (const dst of ids) {
        if (src === dst) continue;
        for (const port of new Set([80, 443, 5353, 8080, 9090, ...portsAround(world), ...randomPorts(seed, 2)])) {
          for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
            const f = disagreement(snapshot, edges, src, dst, protocol, port);
            if (f) failures.push(f);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('map agrees with explain on every example', () => {
  const examples = readdirSync('examples', { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  it.each(examples)('%s', async (name) => {
    const snapshot = await loadExampleSnapshot(name);
    const edges = edgesOf(snapshot);
    const ids = snapshot.groups.map((g) => `${g.namespace}/${g.kind}/${g.name}`);
    const podPorts = snapshot.pods.flatMap((p) => p.containers.flatMap((c) => c.ports.map((x) => x.containerPort)));
    const ports = [...new Set([...podPorts, 80, 443, 15012, 15008, ...randomPorts(7, 3)])];
    const failures: string[] = [];
    for (const src of ids) {
      for (const dst of ids) {
        if (src === dst) continue;
        for (const port of ports) {
          const f = disagreement(snapshot, edges, src, dst, 'TCP', port);
          if (f) failures.push(f);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('HTTP-restricted connections of the examples admit exactly the requests their rules name', () => {
  const examples = readdirSync('examples', { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const plain = (v: unknown): string | null =>
    Array.isArray(v) && typeof v[0] === 'string' && !/[*{]/.test(v[0]) ? v[0] : null;

  it.each(examples)('%s', async (name) => {
    const snapshot = await loadExampleSnapshot(name);
    const failures: string[] = [];
    for (const edge of planMap(snapshot, ALL).pairs()) {
      for (const c of edge.connections) {
        if (!c.http) continue;
        const port = c.ports[0]?.[0] as number;
        const unlisted = c.http.rules.some(
          (r) => Array.isArray(r.match['methods']) && !(r.match['methods'] as string[]).includes('TRACE'),
        );
        for (const rule of c.http.rules) {
          const method = plain(rule.match['methods']) ?? 'GET';
          const path = plain(rule.match['paths']) ?? '/';
          if (rule.match['requestPrincipals'] || rule.match['hosts']) continue;
          const http = { method, path, host: null, headers: {} };
          const e = explainOk(snapshot, { src: edge.src, dst: edge.dst, port, protocol: c.protocol, http });
          if (e.verdict === 'denied')
            failures.push(
              `${edge.src} -> ${edge.dst} ${port} ${method} ${path}: explain denies a request ${rule.ruleRef} admits`,
            );
        }
        const allMethodRules = c.http.rules.every((r) => Array.isArray(r.match['methods']));
        if (unlisted && allMethodRules) {
          const trace = { method: 'TRACE', path: '/', host: null, headers: {} };
          const e = explainOk(snapshot, { src: edge.src, dst: edge.dst, port, protocol: c.protocol, http: trace });
          if (e.verdict === 'allowed')
            failures.push(`${edge.src} -> ${edge.dst} ${port} TRACE: explain allows a method no rule admits`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('map agrees with explain on random sidecar meshes with capture annotations', () => {
  it.each(Array.from({ length: 25 }, (_, i) => i + 1))('seed %i', (seed) => {
    const world = captureWorld(seed);
    const snapshot = snapshotFromYaml(world.yaml);
    const edges = edgesOf(snapshot);
    const failures: string[] = [];
    for (const src of world.pods) {
      for (const dst of world.pods) {
        if (src === dst) continue;
        for (const port of [...world.ports, ...randomPorts(seed, 2)]) {
          const f = disagreement(snapshot, edges, src, dst, 'TCP', port);
          if (f) failures.push(f);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('a Calico rule that writes its protocol as a number', () => {
  // numorstring.Protocol takes a name or a number (projectcalico/calico:api/pkg/lib/numorstring/protocol.go);
  // 17 is UDP and 132 SCTP (IANA): the map must then tell UDP/SCTP ports apart as for `protocol: UDP`
  const world = (protocol: number) => `
${podYaml({ name: 'a', namespace: 'n1', ip: '10.0.0.1' })}
---
${podYaml({ name: 'b', namespace: 'n1', ip: '10.0.0.2' })}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: numbered, namespace: n1}
spec:
  selector: app == 'b'
  types: [Ingress]
  ingress: [{action: Allow, protocol: ${protocol}, destination: {ports: [53]}}]
`;
  it.each([17, 132])('protocol %i', (protocol) => {
    const snapshot = snapshotFromYaml(world(protocol));
    const edges = edgesOf(snapshot);
    const failures = [1, 52, 53, 54].flatMap((port) =>
      (['TCP', 'UDP', 'SCTP'] as const).map((p) => disagreement(snapshot, edges, 'n1/Pod/a', 'n1/Pod/b', p, port)),
    );
    expect(failures.filter((f) => f !== null)).toEqual([]);
    // the allowed port is really there (not an empty map agreeing by accident)
    expect(edges.get('n1/Pod/a>n1/Pod/b')?.connections.some((c) => c.ports.some(([a, b]) => a <= 53 && b >= 53))).toBe(
      true,
    );
  });
});
