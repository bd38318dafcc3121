import { describe, expect, it } from 'vitest';
import { convertRouteTimeouts, durationMs } from '../../../src/model/convert/virtual-service.js';

describe('VirtualService route timeouts', () => {
  it.each([
    ['5s', 5000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['2m', 120000],
    ['1h', 3600000],
    ['5', null],
    ['fast', null],
  ])('reads the Istio duration %s', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it('keeps one entry per routed destination host with the gateways of the VirtualService', () => {
    const object = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'httpbin', namespace: 'apps' },
      spec: {
        hosts: ['*'],
        gateways: ['kyma-system/kyma-gateway'],
        http: [
          {
            route: [{ destination: { host: 'httpbin.apps.svc.cluster.local', port: { number: 8000 } } }],
            timeout: '5s',
          },
          { route: [{ destination: { host: 'other' } }] },
        ],
      },
    };
    expect(convertRouteTimeouts({ object, loc: null, lines: null }, 'default')).toEqual([
      {
        namespace: 'apps',
        name: 'httpbin',
        host: 'httpbin.apps.svc.cluster.local',
        gateways: ['kyma-system/kyma-gateway'],
        timeoutMs: 5000,
      },
    ]);
  });
});
