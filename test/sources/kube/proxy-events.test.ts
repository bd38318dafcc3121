import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { createKubeHttp } from '../../../src/sources/kube/http.js';
import { followProxyEvents } from '../../../src/sources/kube/proxy-events.js';
import type { ProxyEventItem } from '../../../src/sources/kube/proxy-events.js';
import { contextFor, pod, testClock } from './support/fixtures.js';
import { waitFor } from '../../helpers/wait-for.js';

// the verbatim istio-proxy lines of seed 004 (examples/np-test-authz-only)
const seedLines = readFileSync(
  new URL('../../../examples/np-test-authz-only/logs/np-test-nginx-2.istio-proxy.log', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n');

let api: KubeApiServer;
let ac: AbortController;
beforeEach(async () => {
  api = await KubeApiServer.start();
  ac = new AbortController();
});
afterEach(async () => {
  ac.abort();
  await api.close();
});

describe('followProxyEvents', () => {
  it('parses live istio-proxy lines into the same events as offline, with the pod as origin', async () => {
    api.put(pod('np-test-2', 'nginx-2', '10.0.0.2'));
    api.logs.set(
      'np-test-2',
      'nginx-2',
      'istio-proxy',
      seedLines.map((text, i) => ({ time: `2025-07-06T19:33:00.65436${i}000Z`, text })),
    );
    const items: ProxyEventItem[] = [];
    void (async () => {
      const targets = [{ pod: { namespace: 'np-test-2', name: 'nginx-2' }, container: 'istio-proxy' }];
      for await (const item of followProxyEvents({
        http: createKubeHttp(contextFor(api).kc, 2000),
        targets,
        signal: ac.signal,
        clock: testClock(),
        maxQueued: 100,
      }))
        items.push(item);
    })();
    await waitFor(() => expect(items.filter((i) => i.kind === 'line')).toHaveLength(2));
    const events = items.flatMap((i) => (i.kind === 'line' ? i.events : []));
    const decision = events.find((e) => e.kind === 'RbacDecision');
    expect(decision).toMatchObject({
      kind: 'RbacDecision',
      enforcement: 'enforced',
      result: 'denied',
      policyId: 'ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]',
      origin: { namespace: 'np-test-2', pod: 'nginx-2', container: 'istio-proxy', label: null },
    });
  });
});
