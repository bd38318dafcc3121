import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import {
  createNativeProxyControl,
  portForwardRequester,
} from '../../../src/sources/envoy-admin/native-proxy-control.js';
import type { ProxyControl } from '../../../src/sources/envoy-admin/proxy-control.js';
import { formatAuthzCheckTable } from '../../../src/parsers/istioctl-authz-check.js';
import { MeshdbgError } from '../../../src/util/errors.js';
import { contextFor } from '../kube/support/fixtures.js';
import { FakeEnvoyAdmin } from './support/fake-envoy-admin.js';

const expected = readFileSync(new URL('../../fixtures/istioctl/authz-check-expected.txt', import.meta.url), 'utf8');
const pod = { namespace: 'default', name: 'httpbin-74fb669cc6-lpscm' };

let api: KubeApiServer;
let envoy: FakeEnvoyAdmin;
let control: ProxyControl;

beforeEach(async () => {
  api = await KubeApiServer.start();
  envoy = await FakeEnvoyAdmin.start();
  api.portForwardTarget = envoy.port;
  control = createNativeProxyControl(portForwardRequester(contextFor(api).kc), { timeoutMs: 5000 });
});

afterEach(async () => {
  await api.close();
  await envoy.close();
});

describe('native proxy control through a port-forward to Envoy admin', () => {
  it('prints the same authz-check table as istioctl for the fixture config_dump', async () => {
    const table = await control.authzCheck(pod);
    expect(table.issues).toEqual([]);
    expect(formatAuthzCheckTable(table.rows)).toBe(expected);
    expect(api.requests).toContain(
      'UPGRADE /api/v1/namespaces/default/pods/httpbin-74fb669cc6-lpscm/portforward?ports=15000',
    );
    expect(envoy.requests).toEqual(['GET /config_dump?resource=dynamic_listeners']);
  });

  it('reads levels with POST /logging and sets them with POST /logging?rbac=debug', async () => {
    expect((await control.getLogLevels(pod))['rbac']).toBe('warning');
    const after = await control.setLogLevels(pod, { rbac: 'debug' });
    expect(after).toMatchObject({ rbac: 'debug', http: 'warning' });
    expect(envoy.requests).toEqual(['POST /logging', 'POST /logging?rbac=debug', 'POST /logging']);
  });

  it('reports Envoy rejecting a level with its first line', async () => {
    const err = (await control.setLogLevels(pod, { nosuchlogger: 'debug' }).catch((e: unknown) => e)) as MeshdbgError;
    expect(err.userMessage).toBe(
      'Envoy admin /logging?nosuchlogger=debug on httpbin-74fb669cc6-lpscm.default answered 400: error: unknown logger name',
    );
  });

  it('refuses a config_dump above the size cap instead of buffering it', async () => {
    const small = createNativeProxyControl(portForwardRequester(contextFor(api).kc), {
      timeoutMs: 5000,
      maxConfigDumpBytes: 10_000,
    });
    const err = (await small.authzCheck(pod).catch((e: unknown) => e)) as MeshdbgError;
    expect(err.userMessage).toMatch(/response larger than 10000 bytes/);
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = (await control.authzCheck(pod, ac.signal).catch((e: unknown) => e)) as MeshdbgError;
    expect(err.userMessage).toMatch(/failed: cancelled$/);
    expect(envoy.requests).toEqual([]);
  });

  it('says which pod could not be reached when the port-forward is refused', async () => {
    api.forbidden.push(/portforward$/);
    api.portForwardTarget = null;
    const err = (await control.getLogLevels(pod).catch((e: unknown) => e)) as MeshdbgError;
    expect(err.code).toBe('port-forward-failed');
    expect(err.userMessage).toMatch(/^port-forward to httpbin-74fb669cc6-lpscm.default:15000 failed/);
  });
});
