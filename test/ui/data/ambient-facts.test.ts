import { describe, expect, it } from 'vitest';
import { buildPodRow } from '../../../src/ui/data/pod-rows.js';
import { policiesPerEnforcer } from '../../../src/ui/data/ambient-facts.js';
import { podHasSidecar } from '../../../src/model/convert/sidecar.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { authz, shop, waypoint } from '../../engine/ambient/world.js';

const yaml = shop(
  waypoint('shop') +
    authz('shop', 'l4', '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{}]}') +
    authz('shop', 'l7', '{targetRefs: [{kind: Service, group: "", name: server}], action: ALLOW, rules: [{}]}') +
    authz('shop', 'ext', '{selector: {matchLabels: {app: server}}, action: CUSTOM, provider: {name: x}, rules: [{}]}'),
  'istio.io/use-waypoint: waypoint',
);

describe('TUI ambient facts', () => {
  const s = snapshotFromYaml(yaml);
  const server = s.pods.find((p) => p.labels['app'] === 'server');
  if (!server) throw new Error('no server');

  it('the pods row carries the dataplane and the waypoint', () => {
    const row = buildPodRow(s, server, podHasSidecar);
    expect([row.dataplane, row.waypoint]).toEqual(['ambient', 'shop/waypoint']);
  });

  it('the pod detail lists the policies per enforcer, with what ztunnel never receives', () => {
    const per = policiesPerEnforcer(s, server);
    expect(per.map((e) => e.enforcer)).toEqual(['ztunnel', 'waypoint']);
    expect(per[0]?.lines).toEqual([
      'ALLOW shop/l4',
      'CUSTOM shop/ext (not enforced: ztunnel does not support the CUSTOM action)',
    ]);
    expect(per[1]?.lines).toEqual(['ALLOW shop/l7  (shop/waypoint for Service shop/server)']);
  });
});
