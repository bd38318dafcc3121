/** Rows of the `:map` view: layers from the deciding rules, denials seen per workload pair, denied-only pairs, sort and filter. */
import { describe, expect, it } from 'vitest';
import type { MapEdge, MapWorkload } from '../../../src/engine/map/connectivity-map.js';
import { filterMapRows, mapRows, sortMapRows } from '../../../src/ui/data/map-rows.js';

function workload(namespace: string, name: string, pods: string[]): MapWorkload {
  return {
    id: `${namespace}/Deployment/${name}`,
    namespace,
    kind: 'Deployment',
    name,
    pods,
    sidecar: true,
    ambient: false,
  };
}

const web = workload('shop', 'web', ['web-1', 'web-2']);
const api = workload('shop', 'api', ['api-1']);
const db = workload('data', 'db', ['db-1']);
const external: MapWorkload = {
  id: 'external/0.0.0.0/0',
  namespace: null,
  kind: 'External',
  name: '0.0.0.0/0',
  pods: [],
  sidecar: false,
  ambient: false,
};

const edges: MapEdge[] = [
  {
    src: web.id,
    dst: api.id,
    connections: [
      {
        protocol: 'TCP',
        ports: [[8080, 8080]],
        verdict: 'conditional',
        http: { rules: [{ ruleRef: 'ns[shop]-policy[api]-rule[0]', match: { methods: ['GET'] } }] },
        mtls: true,
        by: ['NetworkPolicy:shop/api:ingress[0]', 'ns[shop]-policy[api]-rule[0]'],
      },
    ],
  },
  {
    src: external.id,
    dst: web.id,
    connections: [{ protocol: 'TCP', ports: [[1, 65535]], verdict: 'allowed', http: null, mtls: false, by: [] }],
  },
];

const workloads = [web, api, db, external];

describe('mapRows', () => {
  it('names the layers whose rules admit an edge, its HTTP rules and a pod of each side to explain from', () => {
    const [row] = mapRows(workloads, edges, [], null);
    expect(row).toMatchObject({
      key: `${web.id}>${api.id}`,
      ports: 'TCP 8080 mTLS (only methods=GET)',
      layers: 'netpol authz',
      http: 'only methods=GET',
      mtls: true,
      srcPeer: 'shop/web-1',
      dstPeer: 'shop/api-1',
      port: 8080,
    });
  });

  it('an edge no rule had to admit is `default`; an external side is explained from its address', () => {
    const row = mapRows(workloads, edges, [], null)[1];
    expect(row).toMatchObject({ layers: 'default', srcPeer: null, dstPeer: 'shop/web-1', ports: 'TCP all' });
    const addresses = new Map([[external.id, '203.0.113.7']]);
    expect(mapRows(workloads, edges, [], null, addresses)[1]).toMatchObject({ srcPeer: '203.0.113.7' });
  });

  it('sums the denials seen from any pod of a workload to any pod of another, and adds denied-only pairs', () => {
    const denials = [
      { source: 'shop/web-2', destination: 'shop/api-1', count: 2 },
      { source: 'shop/web-1', destination: 'shop/api-1', count: 1 },
      { source: 'shop/api-1', destination: 'data/db-1', count: 4 },
      { source: 'unknown', destination: 'shop/api-1', count: 9 },
    ];
    const rows = mapRows(workloads, edges, denials, 'shop');
    expect(rows.find((r) => r.key === `${web.id}>${api.id}`)?.deniedSeen).toBe(3);
    expect(rows.find((r) => r.key === `${api.id}>${db.id}`)).toMatchObject({
      ports: 'nothing',
      layers: '-',
      deniedSeen: 4,
    });
    expect(mapRows(workloads, edges, denials, 'other').some((r) => r.ports === 'nothing')).toBe(false);
  });
});

describe('sortMapRows and filterMapRows', () => {
  const rows = mapRows(workloads, edges, [{ source: 'shop/api-1', destination: 'data/db-1', count: 4 }], null);

  it('sorts by source, by destination, by denials seen, and reversed', () => {
    expect(sortMapRows(rows, 'source', false).map((r) => r.src)).toEqual([external.id, api.id, web.id]);
    expect(sortMapRows(rows, 'destination', false).map((r) => r.dst)).toEqual([db.id, api.id, web.id]);
    expect(sortMapRows(rows, 'denials', false)[0]?.deniedSeen).toBe(4);
    expect(sortMapRows(rows, 'source', true).map((r) => r.src)).toEqual([web.id, api.id, external.id]);
  });

  it('filters on any column, case-insensitively', () => {
    expect(filterMapRows(rows, 'METHODS=get').map((r) => r.key)).toEqual([`${web.id}>${api.id}`]);
    expect(filterMapRows(rows, 'data/').map((r) => r.dst)).toEqual([db.id]);
    expect(filterMapRows(rows, ' ')).toHaveLength(3);
  });
});
