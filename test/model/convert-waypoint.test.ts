import { describe, expect, it } from 'vitest';
import { snapshotFromYaml } from '../helpers/snapshot.js';

const gw = (labels: string, extra = '') => `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: wp, namespace: shop, labels: {${labels}}, annotations: {gateway.istio.io/service-account: wp-sa}}
spec:
  gatewayClassName: istio-waypoint
  listeners: [{name: mesh, port: 15008, protocol: HBONE}]
${extra}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ingress, namespace: shop}
spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
`;

// https://istio.io/latest/docs/ambient/usage/waypoint/ and istio/istio pilot/pkg/serviceregistry/ambient/waypoints.go
describe('Gateways of class istio-waypoint become waypoints', () => {
  it('reads traffic type, service account override and readiness; other Gateways are not waypoints', () => {
    const s = snapshotFromYaml(
      gw(
        'istio.io/waypoint-for: all',
        'status: {addresses: [{value: 10.96.0.9}], conditions: [{type: Programmed, status: "True"}]}',
      ),
    );
    expect(s.waypoints).toEqual([
      expect.objectContaining({
        name: 'wp',
        trafficFor: 'all',
        serviceAccount: 'wp-sa',
        ready: true,
        programmed: true,
      }),
    ]);
  });

  it('defaults to service traffic, unknown readiness and Same-namespace attachment', () => {
    const w = snapshotFromYaml(gw('team: x')).waypoints?.[0];
    expect([w?.trafficFor, w?.ready, w?.allowedRoutes.from]).toEqual(['service', null, 'Same']);
  });

  it('an unknown istio.io/waypoint-for value is a finding with the fix', () => {
    const s = snapshotFromYaml(gw('istio.io/waypoint-for: services'));
    expect(s.findings.find((f) => f.field?.includes('waypoint-for'))?.message).toMatch(
      /not one of service, workload, all, none/,
    );
    expect(s.waypoints?.[0]?.trafficFor).toBe('none');
  });
});
