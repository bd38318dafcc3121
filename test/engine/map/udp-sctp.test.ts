/**
 * When no policy or Service names UDP or SCTP, the map answers an SCTP port class with the UDP
 * denial on the same port (pair-evaluation.ts udpAndSctpAlike). Checked against `explain` for SCTP
 * (verdict, and for a denial the deciding layer and rule) on worlds where the sharing applies
 * (generated sidecar and ambient meshes, the early exit's worlds, every example) and on one where
 * it must not: NetworkPolicy admits SCTP and not UDP, so a shared UDP denial would be wrong.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syntheticCluster } from '../../../bench/synthetic.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { planMap } from '../../../src/engine/map/connectivity-map.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { podYaml } from '../../helpers/pod-yaml.js';
import { loadExampleSnapshot } from './example-snapshot.js';
import { networkFirstWorld } from './network-first-worlds.js';

const PORTS = [1, 53, 80, 8000, 8080, 9000, 9090, 40000];
const covers = (ports: readonly (readonly [number, number])[], p: number): boolean =>
  ports.some(([a, b]) => p >= a && p <= b);

/** Disagreements between the map and explain on SCTP, for up to `limit` workloads. */
function sctpDisagreements(snapshot: Snapshot, limit = 30): { failures: string[]; denials: number } {
  const plan = planMap(snapshot, { namespaces: null, focus: null, includeDenied: true });
  const edges = new Map([...plan.pairs()].map((e) => [`${e.src}>${e.dst}`, e]));
  const ids = plan.workloads.filter((w) => w.kind !== 'External').map((w) => w.id);
  const failures: string[] = [];
  let denials = 0;
  for (const src of ids.slice(0, limit))
    for (const dst of ids.slice(0, limit)) {
      if (src === dst) continue;
      const edge = edges.get(`${src}>${dst}`);
      for (const port of PORTS) {
        const e = explainOk(snapshot, { src, dst, port, protocol: 'SCTP' });
        const where = `${src} -> ${dst} SCTP/${port}`;
        const c = edge?.connections.find((x) => x.protocol === 'SCTP' && covers(x.ports, port));
        const d = edge?.denied?.find((x) => x.protocol === 'SCTP' && covers(x.ports, port));
        if (e.verdict === 'denied') {
          denials++;
          const by = e.decidedBy?.policy ? [e.decidedBy.policy.ruleRef] : [];
          if (JSON.stringify([d?.layer, d?.by]) !== JSON.stringify([e.decidedBy?.layer, by]))
            failures.push(`${where}: map denies by ${d?.layer} ${d?.by}, explain by ${e.decidedBy?.layer} ${by}`);
        } else if (c?.verdict !== e.verdict)
          failures.push(`${where}: map ${c?.verdict ?? 'nothing'}, explain ${e.verdict}`);
      }
    }
  return { failures, denials };
}

const SCTP_NOT_UDP = `
${podYaml({ name: 'a', namespace: 'x', ip: '10.1.0.1' })}
---
${podYaml({ name: 'b', namespace: 'x', ip: '10.1.0.2' })}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: sctp-only, namespace: x}
spec:
  podSelector: {matchLabels: {app: b}}
  policyTypes: [Ingress]
  ingress: [{ports: [{protocol: SCTP}]}]
`;

describe('SCTP shares the UDP denial only when neither protocol is named', () => {
  let denials = 0;
  const check = (snapshot: Snapshot, limit?: number): void => {
    const r = sctpDisagreements(snapshot, limit);
    denials += r.denials;
    expect(r.failures).toEqual([]);
  };

  it.each([1, 2, 3])('generated sidecar mesh, seed %i', (seed) => {
    const size = { pods: 40, networkPolicies: 18, authorizationPolicies: 12 };
    check(snapshotFromObjects(syntheticCluster(size, seed).objects, null, 'test'));
  });

  it('generated ambient mesh', () => {
    const size = { pods: 30, networkPolicies: 14, authorizationPolicies: 8, ambient: true };
    check(snapshotFromObjects(syntheticCluster(size, 5).objects, null, 'test'));
  });

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('early-exit condition world, seed %i', (seed) => {
    check(snapshotFromYaml(networkFirstWorld(seed).yaml));
  });

  it.each(
    readdirSync('examples', { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name),
  )('example %s', async (name) => {
    check(await loadExampleSnapshot(name), 12);
  });

  it('a world that admits SCTP and not UDP: SCTP is evaluated itself', () => {
    const snapshot = snapshotFromYaml(SCTP_NOT_UDP);
    check(snapshot);
    const edge = [...planMap(snapshot, { namespaces: null, focus: null, includeDenied: false }).pairs()].find(
      (e) => e.src === 'x/Pod/a' && e.dst === 'x/Pod/b',
    );
    expect(edge?.connections.map((c) => [c.protocol, c.ports])).toEqual([['SCTP', [[1, 65535]]]]);
  });

  it('the worlds have SCTP denials to share (not vacuous)', () => {
    expect(denials).toBeGreaterThan(100);
  });
});
