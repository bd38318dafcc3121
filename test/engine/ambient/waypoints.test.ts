import { describe, expect, it } from 'vitest';
import { waypointFor } from '../../../src/engine/ambient/waypoints.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { deploy, namespace, service, shop, waypoint } from './world.js';

function bindingOf(s: Snapshot, addressed: 'service' | 'pod') {
  const pod = s.pods.find((p) => p.labels['app'] === 'server');
  const svc = s.services.find((x) => x.name === 'server') ?? null;
  if (!pod) throw new Error('no server pod');
  return waypointFor(s, pod, addressed === 'service' ? svc : null);
}

// istio/istio pilot/pkg/serviceregistry/ambient/waypoints.go fetchWaypointForService / ForWorkload / GetUseWaypoint
describe('which waypoint a flow uses', () => {
  it('a Service label sends Service-addressed traffic through that waypoint', () => {
    const s = snapshotFromYaml(shop(waypoint('shop'), 'istio.io/use-waypoint: waypoint'));
    const b = bindingOf(s, 'service');
    expect(b.type).toBe('waypoint');
    expect(b.type === 'waypoint' && b.via).toBe('service');
  });

  it('a namespace label applies when the Service has none', () => {
    const yaml =
      namespace('shop', 'istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint') +
      deploy('shop', 'server') +
      service('shop', 'server') +
      waypoint('shop');
    const b = bindingOf(snapshotFromYaml(yaml), 'service');
    expect(b.type === 'waypoint' && b.via).toBe('namespace');
  });

  it('the value none on the Service opts out of the namespace waypoint', () => {
    const yaml =
      namespace('shop', 'istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint') +
      deploy('shop', 'server') +
      service('shop', 'server', 'istio.io/use-waypoint: none') +
      waypoint('shop');
    expect(bindingOf(snapshotFromYaml(yaml), 'service').type).toBe('none');
  });

  it('a use-waypoint naming a missing waypoint leaves traffic without one (istiod: not ready)', () => {
    const b = bindingOf(snapshotFromYaml(shop('', 'istio.io/use-waypoint: gone')), 'service');
    expect(b.type).toBe('unusable');
    expect(b.type === 'unusable' && b.reason).toMatch(/not in the input/);
  });

  it('a service waypoint does not take pod-addressed traffic inherited from the namespace', () => {
    const yaml =
      namespace('shop', 'istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint') +
      deploy('shop', 'server') +
      waypoint('shop');
    expect(bindingOf(snapshotFromYaml(yaml), 'pod').type).toBe('none');
  });

  it('a pod label for a service-only waypoint is reported as the wrong traffic type', () => {
    const yaml =
      namespace('shop') +
      deploy('shop', 'server', { labels: 'istio.io/use-waypoint: waypoint' }) +
      service('shop', 'server') +
      waypoint('shop');
    const b = bindingOf(snapshotFromYaml(yaml), 'pod');
    expect(b.type === 'unusable' && b.reason).toMatch(/takes service traffic/);
  });

  it('a workload waypoint takes pod-addressed traffic', () => {
    const yaml =
      namespace('shop') +
      deploy('shop', 'server', { labels: 'istio.io/use-waypoint: waypoint' }) +
      waypoint('shop', 'waypoint', 'workload');
    expect(bindingOf(snapshotFromYaml(yaml), 'pod').type).toBe('waypoint');
  });

  it('use-waypoint-namespace needs the waypoint to allow routes from that namespace (default Same)', () => {
    const labels = 'istio.io/use-waypoint: shared, istio.io/use-waypoint-namespace: infra';
    const same = snapshotFromYaml(shop(namespace('infra') + waypoint('infra', 'shared'), labels));
    expect(bindingOf(same, 'service').type).toBe('unusable');
    const all = snapshotFromYaml(
      shop(
        namespace('infra') + waypoint('infra', 'shared', 'service', ', allowedRoutes: {namespaces: {from: All}}'),
        labels,
      ),
    );
    const b = bindingOf(all, 'service');
    expect(b.type === 'waypoint' && `${b.waypoint.namespace}/${b.waypoint.name}`).toBe('infra/shared');
  });

  it('a Gateway without status.addresses (live, not ready) is not used', () => {
    const yaml = shop(waypoint('shop') + 'status: {addresses: []}\n', 'istio.io/use-waypoint: waypoint');
    expect(bindingOf(snapshotFromYaml(yaml), 'service').type).toBe('unusable');
  });

  it('the waypoint pod is assumed with the Gateway name as service account when absent', () => {
    const b = bindingOf(snapshotFromYaml(shop(waypoint('shop'), 'istio.io/use-waypoint: waypoint')), 'service');
    expect(b.type === 'waypoint' && [b.podAssumed, b.pod.serviceAccount]).toEqual([true, 'waypoint']);
  });
});
