import { afterEach, describe, expect, it } from 'vitest';
import { CORE_RESOURCES, ISTIO_RESOURCES, KubeApiServer } from '../../helpers/kube-api-server.js';
import { discoverKinds } from '../../../src/sources/kube/discovery.js';
import { createKubeHttp } from '../../../src/sources/kube/http.js';
import { SNAPSHOT_KINDS } from '../../../src/sources/kube/kinds.js';
import { contextFor } from './support/fixtures.js';

let api: KubeApiServer;
afterEach(() => api.close());

async function discover(): Promise<Awaited<ReturnType<typeof discoverKinds>>> {
  return discoverKinds(createKubeHttp(contextFor(api).kc, 2000), SNAPSHOT_KINDS);
}

function versionOf(result: Awaited<ReturnType<typeof discoverKinds>>, kind: string): string | undefined {
  return result.served.find((k) => k.spec.kind === kind && k.spec.group.endsWith('istio.io'))?.apiVersion;
}

describe('discoverKinds', () => {
  it('prefers security.istio.io/v1 when served (Istio >= 1.22)', async () => {
    api = await KubeApiServer.start([...CORE_RESOURCES, ...ISTIO_RESOURCES('v1beta1'), ...ISTIO_RESOURCES('v1')]);
    expect(versionOf(await discover(), 'AuthorizationPolicy')).toBe('security.istio.io/v1');
  });

  it('uses v1beta1 on older meshes', async () => {
    api = await KubeApiServer.start([...CORE_RESOURCES, ...ISTIO_RESOURCES('v1beta1')]);
    expect(versionOf(await discover(), 'PeerAuthentication')).toBe('security.istio.io/v1beta1');
  });

  it('does not read a 404 on one version as "not installed"', async () => {
    api = await KubeApiServer.start([...CORE_RESOURCES, ...ISTIO_RESOURCES('v1'), ...ISTIO_RESOURCES('v1beta1')]);
    api.brokenVersions.add('security.istio.io/v1');
    const result = await discover();
    expect(versionOf(result, 'AuthorizationPolicy')).toBe('security.istio.io/v1beta1');
    expect(result.errors).toEqual([]);
  });

  it('lists kinds whose CRDs are missing as not installed', async () => {
    api = await KubeApiServer.start(CORE_RESOURCES);
    const result = await discover();
    expect(result.notInstalled.map((k) => k.kind)).toContain('AuthorizationPolicy');
    expect(result.notInstalled.map((k) => k.kind)).toContain('CiliumNetworkPolicy');
    expect(result.served.map((k) => k.apiVersion + ' ' + k.spec.kind)).toContain('networking.k8s.io/v1 NetworkPolicy');
  });
});
