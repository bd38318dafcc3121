import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { chooseProxyControl } from '../../../src/sources/envoy-admin/choose.js';
import { contextFor } from '../kube/support/fixtures.js';

const standin = fileURLToPath(new URL('../../bin/istioctl', import.meta.url));
let api: KubeApiServer;
beforeEach(async () => {
  api = await KubeApiServer.start();
});
afterEach(() => api.close());

describe('chooseProxyControl', () => {
  it('uses istioctl when it is found', async () => {
    const chosen = await chooseProxyControl({
      context: contextFor(api),
      kubeconfigFlag: null,
      timeoutMs: 10_000,
      istioctlBinary: standin,
    });
    expect(chosen.control.via).toBe('istioctl');
    expect(chosen.istioctl).toMatchObject({ available: true, version: '1.22.3' });
  });

  it('falls back to the native port-forward path without istioctl', async () => {
    const chosen = await chooseProxyControl({
      context: contextFor(api),
      kubeconfigFlag: null,
      timeoutMs: 5000,
      istioctlBinary: 'no-istioctl-here',
    });
    expect(chosen.control.via).toBe('native');
    expect(chosen.istioctl.available).toBe(false);
  });
});
