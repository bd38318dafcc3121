/**
 * External peers in the map (DESIGN.md "map and diff": external address classes cut by the
 * ipBlocks in use). The map answers each `external/CIDR` workload by evaluating one address, and
 * external classes that no policy can tell apart (src/engine/map/address-tests.ts) share that
 * evaluation. Checked here against `explain` at several addresses of every class, both
 * directions, on seeded random NetworkPolicy worlds, sidecar capture worlds and a world where
 * every kind that names addresses does (NetworkPolicy ipBlock/except, AdminNetworkPolicy
 * networks, Calico nets/notNets, Istio ipBlocks/remoteIpBlocks, ServiceEntry addresses).
 */
import { describe, expect, it } from 'vitest';
import { planMap, type MapPlan } from '../../../src/engine/map/connectivity-map.js';
import { addressSignature, addressTests } from '../../../src/engine/map/address-tests.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { cidrContainsIp, parseCidr } from '../../../src/util/cidr.js';
import { seededRandom } from '../../../src/util/random.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { podYaml } from '../../helpers/pod-yaml.js';
import { ALL, disagreementAt, edgesOf, portsAround, type Protocol } from './agreement.js';
import { captureWorld } from './sidecar-capture-worlds.js';
import { manyBlocksWorld } from './many-blocks-world.js';
import { PODS, PROBES, generator, worldYaml } from '../network-policy/random-policies.js';

function ipv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
}

/** Up to `n` addresses of the external class `id` (its block minus the blocks inside it), no pod's or Service's. */
function addressesOf(snapshot: Snapshot, plan: MapPlan, id: string, seed: number, n: number): string[] {
  const block = parseCidr(id.slice('external/'.length));
  if (!block || block.family !== 4) return [plan.addresses.get(id) as string];
  const inner = plan.workloads
    .filter((w) => w.kind === 'External' && w.id !== id)
    .map((w) => parseCidr(w.name))
    .filter(
      (c) =>
        c !== null && c.family === 4 && c.prefix > block.prefix && cidrContainsIp(block, { family: 4, value: c.base }),
    );
  const taken = new Set([...snapshot.index.podByIp.keys(), ...snapshot.index.serviceByIp.keys()]);
  const size = 1n << BigInt(32 - block.prefix);
  const random = seededRandom(seed);
  const out = new Set([plan.addresses.get(id) as string]);
  for (let tries = 0; tries < 200 && out.size < n; tries++) {
    const ip = { family: 4 as const, value: block.base + (BigInt(Math.floor(random.next() * 2 ** 32)) % size) };
    if (inner.some((c) => c && cidrContainsIp(c, ip)) || taken.has(ipv4(ip.value))) continue;
    out.add(ipv4(ip.value));
  }
  return [...out];
}

/** Every disagreement between the map and explain for pods <-> addresses of every external class. */
function externalDisagreements(
  snapshot: Snapshot,
  pods: readonly string[],
  probes: readonly { port: number; protocol: Protocol }[],
  seed: number,
): string[] {
  const plan = planMap(snapshot, ALL);
  const edges = edgesOf(snapshot);
  const failures: string[] = [];
  for (const external of plan.workloads.filter((w) => w.kind === 'External')) {
    for (const address of addressesOf(snapshot, plan, external.id, seed, 3)) {
      for (const pod of pods) {
        for (const { port, protocol } of probes) {
          const out = disagreementAt(
            snapshot,
            edges,
            { src: pod, dst: external.id },
            { src: pod, dst: address },
            protocol,
            port,
          );
          const into = disagreementAt(
            snapshot,
            edges,
            { src: external.id, dst: pod },
            { src: address, dst: pod },
            protocol,
            port,
          );
          failures.push(...[out, into].filter((f): f is string => f !== null));
        }
      }
    }
  }
  return failures;
}

describe('map agrees with explain for external peers, at addresses across each class', () => {
  it.each(Array.from({ length: 20 }, (_, i) => i + 1))('random NetworkPolicy world, seed %i', (seed) => {
    const policies = generator(seed).policies();
    const snapshot = snapshotFromYaml(worldYaml(policies));
    const ports = [...new Set([...PROBES.map((p) => p.port), ...portsAround(policies)])].slice(0, 12);
    const probes = ports.flatMap((port) => (['TCP', 'UDP'] as const).map((protocol) => ({ port, protocol })));
    const pods = PODS.map((p) => `${p.namespace}/Pod/${p.name}`);
    expect(externalDisagreements(snapshot, pods, probes, seed)).toEqual([]);
  });

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('sidecar capture world, seed %i', (seed) => {
    const world = captureWorld(seed);
    const snapshot = snapshotFromYaml(world.yaml);
    const probes = world.ports.map((port) => ({ port, protocol: 'TCP' as const }));
    expect(externalDisagreements(snapshot, world.pods, probes, seed)).toEqual([]);
  });

  // more blocks than address-tests.ts scans: an ipBlock list and an Istio ipBlocks list looked up by prefix
  it.each(Array.from({ length: 6 }, (_, i) => i + 1))('a world naming many address blocks, seed %i', (seed) => {
    const world = manyBlocksWorld(seed);
    const snapshot = snapshotFromYaml(world.yaml);
    const probes = world.ports.map((port) => ({ port, protocol: 'TCP' as const }));
    expect(planMap(snapshot, ALL).workloads.filter((w) => w.kind === 'External').length).toBeGreaterThan(40);
    expect(externalDisagreements(snapshot, world.pods, probes, seed)).toEqual([]);
  });

  it('a world where every kind that names addresses does', () => {
    const snapshot = snapshotFromYaml(EVERY_KIND);
    const pods = ['shop/Pod/web', 'shop/Pod/api', 'ops/Pod/tool'];
    const probes = [80, 443, 8080, 5432].map((port) => ({ port, protocol: 'TCP' as const }));
    expect(externalDisagreements(snapshot, pods, probes, 7)).toEqual([]);
  });
});

describe('external classes that no policy can tell apart share one evaluation', () => {
  const blocks = Array.from({ length: 300 }, (_, i) => `49.50.${i >> 7}.${(i * 2) & 255}/32`);
  const oneRule = (extra = ''): string => `
${podYaml({ name: 'a', namespace: 'n1', ip: '10.0.0.1' })}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-many, namespace: n1}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Egress]
  egress:
  - to:
${blocks.map((b) => `    - ipBlock: {cidr: ${b}}`).join('\n')}
${extra}`;

  function externalClassCount(plan: MapPlan): number {
    return new Set(plan.workloads.flatMap((w, i) => (w.kind === 'External' ? [plan.classOf[i]] : []))).size;
  }

  it('300 blocks of one rule: 301 External workloads, two classes (in a block, elsewhere)', () => {
    // ipblockstest_4 of np-guard/netpol-analyzer has 638 blocks in one rule's `to`
    const snapshot = snapshotFromYaml(oneRule());
    const plan = planMap(snapshot, ALL);
    expect(plan.workloads.filter((w) => w.kind === 'External')).toHaveLength(301);
    expect(externalClassCount(plan)).toBe(2);
    const probes = [{ port: 443, protocol: 'TCP' as const }];
    expect(externalDisagreements(snapshot, ['n1/Pod/a'], probes, 3)).toEqual([]);
  });

  it('a block a second rule names on another port is a class of its own', () => {
    const extra = `  - to:
    - ipBlock: {cidr: 49.50.0.4/32}
    ports: [{port: 8443}]`;
    const snapshot = snapshotFromYaml(oneRule(extra));
    const plan = planMap(snapshot, ALL);
    expect(externalClassCount(plan)).toBe(3);
    const probes = [443, 8443].map((port) => ({ port, protocol: 'TCP' as const }));
    expect(externalDisagreements(snapshot, ['n1/Pod/a'], probes, 4)).toEqual([]);
  });
});

describe('address tests', () => {
  const sig = (yaml: string, address: string): string => {
    const snapshot = snapshotFromYaml(yaml);
    return addressSignature(addressTests(snapshot), address);
  };
  const np = (peers: string): string => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: n1}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
  - from:
${peers}`;

  it('an ipBlock except sets its addresses apart from the rest of the block', () => {
    const yaml = np('    - ipBlock: {cidr: 10.9.0.0/16, except: [10.9.1.0/24]}');
    expect(sig(yaml, '10.9.1.5')).not.toBe(sig(yaml, '10.9.2.5'));
    expect(sig(yaml, '10.9.1.5')).toBe(sig(yaml, '10.8.0.1'));
  });

  it('the peers of one rule are one question; selectors never match an address', () => {
    const yaml = np('    - ipBlock: {cidr: 10.9.0.0/24}\n    - podSelector: {}\n    - ipBlock: {cidr: 10.7.0.0/24}');
    expect(sig(yaml, '10.9.0.1')).toBe(sig(yaml, '10.7.0.1'));
    expect(sig(yaml, '10.9.0.1')).not.toBe(sig(yaml, '10.8.0.1'));
  });

  it('an address family of its own, and text that is no address, are told apart', () => {
    const yaml = np('    - ipBlock: {cidr: 10.9.0.0/24}');
    expect(sig(yaml, '::1')).not.toBe(sig(yaml, '10.8.0.1'));
    expect(sig(yaml, 'not-an-ip')).not.toBe(sig(yaml, '10.8.0.1'));
  });

  it('the rules of a Calico policy stay questions of their own (their order decides)', () => {
    const yaml = `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: c, namespace: n1}
spec:
  selector: all()
  types: [Egress]
  egress:
  - action: Deny
    destination: {nets: [10.9.0.0/24]}
  - action: Allow
    destination: {nets: [10.7.0.0/24]}
`;
    expect(sig(yaml, '10.9.0.1')).not.toBe(sig(yaml, '10.7.0.1'));
  });
});

const EVERY_KIND = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ops}
---
${podYaml({ name: 'web', namespace: 'shop', ip: '10.1.0.1', sidecar: true, ports: [8080] })}
---
${podYaml({ name: 'api', namespace: 'shop', ip: '10.1.0.2', sidecar: true, ports: [8080] })}
---
${podYaml({ name: 'tool', namespace: 'ops', ip: '10.1.0.3' })}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - ipBlock: {cidr: 203.0.113.0/24, except: [203.0.113.128/25]}
    - ipBlock: {cidr: 198.51.100.0/24}
    ports: [{port: 8080}]
  egress:
  - to:
    - ipBlock: {cidr: 192.0.2.0/24}
    ports: [{port: 443}]
  - to:
    - ipBlock: {cidr: 192.0.2.64/26}
    ports: [{port: 5432}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ops-out}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: ops}}}
  egress:
  - name: deny-some
    action: Deny
    to: [{networks: [100.64.0.0/16, 100.66.0.0/16]}]
  - name: allow-rest
    action: Allow
    to: [{networks: [100.64.0.0/10]}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: api-in, namespace: shop}
spec:
  selector: app == 'api'
  types: [Ingress]
  ingress:
  - action: Deny
    source: {nets: [172.16.0.0/12], notNets: [172.16.5.0/24]}
  - action: Allow
    source: {nets: [172.16.0.0/12]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: api-allow, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  action: ALLOW
  rules:
  - from: [{source: {ipBlocks: [172.16.5.0/24, 172.20.0.0/16], remoteIpBlocks: [172.16.5.0/25]}}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: db, namespace: shop}
spec:
  hosts: [db.example.com]
  addresses: [192.0.2.64/26, 192.0.2.200/32]
  ports: [{number: 5432, name: tcp, protocol: TCP}]
  location: MESH_EXTERNAL
  resolution: STATIC
  endpoints: [{address: 192.0.2.70}]
`;
