/** The `:map` view's rows: allowed edges per workload beside the denials the logs showed. */
import { describe, expect, it } from 'vitest';
import { mapRows, workloadIdOf } from '../../../src/ui/data/map-rows.js';
import type { MapEdge, MapWorkload } from '../../../src/engine/map/connectivity-map.js';
import type { Denial, DenialPeer } from '../../../src/correlate/denial.js';

const w = (ns: string, name: string): MapWorkload => ({
  id: `${ns}/Deployment/${name}`,
  namespace: ns,
  kind: 'Deployment',
  name,
  pods: [],
  sidecar: true,
  ambient: false,
});
const peer = (ns: string, workload: string): DenialPeer =>
  ({ namespace: ns, name: 'p-1', kind: 'Pod', workload, ip: null, principal: null }) as unknown as DenialPeer;
const denial = (src: DenialPeer, dst: DenialPeer, count: number): Denial =>
  ({ source: src, destination: dst, count }) as unknown as Denial;

describe(':map rows', () => {
  const workloads = [w('a', 'web'), w('a', 'api'), w('b', 'db')];
  const edges: MapEdge[] = [
    {
      src: 'a/Deployment/web',
      dst: 'a/Deployment/api',
      connections: [{ protocol: 'TCP', ports: [[8080, 8080]], verdict: 'allowed', http: null, mtls: true, by: ['r'] }],
    },
  ];

  it('lists out and in edges of the namespace, with denials seen for the same pair and pairs seen only in logs', () => {
    const denials = [
      denial(peer('a', 'Deployment/web'), peer('a', 'Deployment/api'), 2),
      denial(peer('a', 'Deployment/api'), peer('b', 'Deployment/db'), 5),
    ];
    const rows = mapRows(workloads, edges, 'a', denials);
    expect(rows.map((r) => [r.workload, r.direction, r.peer, r.allowed, r.deniedSeen, r.port])).toEqual([
      ['a/Deployment/web', 'out', 'a/Deployment/api', 'TCP 8080 mTLS', 2, 8080],
      ['a/Deployment/api', 'out', 'b/Deployment/db', 'nothing', 5, null],
      ['a/Deployment/api', 'in', 'a/Deployment/web', 'TCP 8080 mTLS', 2, 8080],
    ]);
    expect(rows[0]?.mtls).toBe(true);
  });

  it('names a denial peer by workload, else by pod, else not at all', () => {
    expect(workloadIdOf(peer('a', 'Deployment/web'))).toBe('a/Deployment/web');
    expect(workloadIdOf({ ...peer('a', ''), workload: null } as DenialPeer)).toBe('a/Pod/p-1');
    expect(workloadIdOf('unknown')).toBeNull();
  });
});
