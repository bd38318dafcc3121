/** The poc-mesh example served by the local API server, every Snapshot kind installed. */
import { fileURLToPath } from 'node:url';
import { KubeApiServer } from '../../../helpers/kube-api-server.js';
import type { MockResource } from '../../../helpers/kube-api-server.js';
import { loadManifests } from '../../../../src/sources/manifests/load.js';
import { SNAPSHOT_KINDS } from '../../../../src/sources/kube/kinds.js';

export const ALL_KINDS: MockResource[] = SNAPSHOT_KINDS.map((k) => ({
  group: k.group,
  version: k.versions[0] ?? 'v1',
  kind: k.kind,
  plural: k.plural,
  namespaced: k.namespaced,
}));

export const POC_MESH = fileURLToPath(new URL('../../../../examples/poc-mesh/manifests', import.meta.url));

/** An allowed flow in poc-mesh (frontend may GET /api/orders on backend). */
export const ALLOWED_QUERY = {
  src: 'poc-mesh/frontend',
  dst: 'poc-mesh/backend',
  port: 80,
  http: { method: 'GET', path: '/api/orders', host: 'backend' },
};

export const ALLOWED_ARGS = [
  'explain',
  'poc-mesh/frontend',
  'poc-mesh/backend',
  '--port',
  '80',
  '--method',
  'GET',
  '--path',
  '/api/orders',
  '-o',
  'json',
];

export async function pocCluster(resources: readonly MockResource[] = ALL_KINDS): Promise<KubeApiServer> {
  const api = await KubeApiServer.start(resources);
  for (const o of (await loadManifests([POC_MESH])).objects)
    api.put(structuredClone(o.object as Record<string, unknown>));
  return api;
}
