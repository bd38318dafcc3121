import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CORE_RESOURCES, KubeApiServer } from '../../helpers/kube-api-server.js';
import { createLiveSource } from '../../../src/sources/kube/live-source.js';
import type { LiveSource } from '../../../src/sources/kube/live-source.js';
import { MeshdbgError } from '../../../src/util/errors.js';
import { contextFor, pod } from './support/fixtures.js';
import { FakeEnvoyAdmin } from '../envoy-admin/support/fake-envoy-admin.js';
import {
  createNativeProxyControl,
  portForwardRequester,
} from '../../../src/sources/envoy-admin/native-proxy-control.js';

const tlsFile = (name: string): string =>
  readFileSync(new URL(`../../fixtures/kube/tls/${name}`, import.meta.url), 'utf8');
const tls = { key: tlsFile('server.key'), cert: tlsFile('server.crt') };

let api: KubeApiServer;
let source: LiveSource | null = null;
afterEach(async () => {
  source?.stop();
  await api.close();
});

describe('live source over TLS', () => {
  it('trusts the kubeconfig certificate-authority-data', async () => {
    api = await KubeApiServer.start(CORE_RESOURCES, tls);
    api.put(pod('prod', 'a', '10.0.0.1'));
    source = createLiveSource({
      context: contextFor(api, 'default', tls.cert),
      namespaces: [],
      allNamespaces: false,
      requestTimeoutMs: 2000,
      watch: false,
    });
    await source.start();
    expect(source.objects().map((o) => (o.object['metadata'] as { name: string }).name)).toEqual(['a']);
  });

  it('exits 3 when the server certificate is not signed by the configured CA', async () => {
    api = await KubeApiServer.start(CORE_RESOURCES, tls);
    source = createLiveSource({
      context: contextFor(api, 'default', tlsFile('other-ca.crt')),
      namespaces: [],
      allNamespaces: false,
      requestTimeoutMs: 2000,
    });
    const err = (await source.start().catch((e: unknown) => e)) as MeshdbgError;
    expect(err).toBeInstanceOf(MeshdbgError);
    expect(err.exitCode).toBe(3);
    expect(err.userMessage).toMatch(/cannot reach https:\/\/127\.0\.0\.1:\d+: self[- ]signed certificate/);
  });

  it('port-forwards to Envoy admin through a TLS API server', async () => {
    api = await KubeApiServer.start(CORE_RESOURCES, tls);
    const envoy = await FakeEnvoyAdmin.start();
    api.portForwardTarget = envoy.port;
    const control = createNativeProxyControl(portForwardRequester(contextFor(api, 'default', tls.cert).kc), {
      timeoutMs: 5000,
    });
    const levels = await control.getLogLevels({ namespace: 'default', name: 'httpbin' });
    await envoy.close();
    expect(levels['rbac']).toBe('warning');
  });
});
