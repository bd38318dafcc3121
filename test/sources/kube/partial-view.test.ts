import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import type { MockResource } from '../../helpers/kube-api-server.js';
import { explain } from '../../../src/engine/explain.js';
import type { Explanation } from '../../../src/engine/explanation.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { parseQuery } from '../../../src/parsers/explain-query.js';
import { loadManifests } from '../../../src/sources/manifests/load.js';
import { SNAPSHOT_KINDS } from '../../../src/sources/kube/kinds.js';
import { createLiveSource } from '../../../src/sources/kube/live-source.js';
import type { LiveStatus } from '../../../src/sources/kube/live-source.js';
import { applyPartialView, partialViewConditions } from '../../../src/sources/kube/partial-view.js';
import { contextFor } from './support/fixtures.js';

const ALL_KINDS: MockResource[] = SNAPSHOT_KINDS.map((k) => ({
  group: k.group,
  version: k.versions[0] ?? 'v1',
  kind: k.kind,
  plural: k.plural,
  namespaced: k.namespaced,
}));
const pocMesh = fileURLToPath(new URL('../../../examples/poc-mesh/manifests', import.meta.url));
const query = {
  src: 'poc-mesh/frontend',
  dst: 'poc-mesh/backend',
  port: 80,
  http: { method: 'GET', path: '/api/orders', host: 'backend' },
};

let api: KubeApiServer;
afterEach(() => api.close());

async function explainLive(forbidden: RegExp[]): Promise<{ explanation: Explanation; status: LiveStatus }> {
  api = await KubeApiServer.start(ALL_KINDS);
  for (const o of (await loadManifests([pocMesh])).objects)
    api.put(structuredClone(o.object as Record<string, unknown>));
  api.forbidden.push(...forbidden);
  const source = createLiveSource({
    context: contextFor(api, 'poc-mesh'),
    namespaces: [],
    allNamespaces: false,
    requestTimeoutMs: 2000,
    watch: false,
  });
  await source.start();
  const result = explain(snapshotFromObjects(source.objects(), null, 'cluster', 'cluster'), parseQuery(query));
  if (!('verdict' in result)) throw new Error(`explain failed: ${JSON.stringify(result)}`);
  return { explanation: result, status: source.status() };
}

describe('partial view', () => {
  it('leaves a full view alone', async () => {
    const { explanation, status } = await explainLive([]);
    expect(explanation.verdict).toBe('allowed');
    expect(applyPartialView(explanation, status, 'istio-system')).toBe(explanation);
  });

  it('makes an allowed verdict conditional when Namespace objects are unreadable', async () => {
    const { explanation, status } = await explainLive([/^\/api\/v1\/namespaces$/]);
    const adjusted = applyPartialView(explanation, status, 'istio-system');
    expect(adjusted.verdict).toBe('conditional');
    expect(adjusted.conditions).toContainEqual({
      code: 'partial-view',
      message:
        'partial view: Namespace objects are unreadable (403 Forbidden), so namespaceSelector matches are unknown',
    });
  });

  it('names unreadable policies in the root namespace and in the peers namespaces', () => {
    const status: LiveStatus = {
      stale: false,
      staleSince: null,
      partial: [],
      namespaces: ['a'],
      errors: [],
      unreadable: [
        { kind: 'PeerAuthentication.security.istio.io', namespace: 'istio-system', reason: '403' },
        { kind: 'NetworkPolicy.networking.k8s.io', namespace: 'b', reason: '403' },
        { kind: 'NetworkPolicy.networking.k8s.io', namespace: 'elsewhere', reason: '403' },
        { kind: 'AdminNetworkPolicy.policy.networking.k8s.io', namespace: null, reason: '403' },
      ],
    };
    expect(partialViewConditions(status, ['a', 'b'], 'istio-system').map((c) => c.message)).toEqual([
      'partial view: PeerAuthentication.security.istio.io in the root namespace istio-system is unreadable (403); mesh-wide policy unknown',
      'partial view: NetworkPolicy.networking.k8s.io in b is unreadable (403)',
      'partial view: AdminNetworkPolicy.policy.networking.k8s.io in all namespaces is unreadable (403)',
    ]);
  });
});
