import { beforeAll, describe, expect, it } from 'vitest';
import type { ExplainQuery, Explanation } from '../../../src/engine/explanation.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { createTrafficFeed } from '../../../src/ui/demo/traffic-feed.js';
import type { DenialEvent, FeedEvent, LogFeed } from '../../../src/ui/feeds/log-feed.js';
import { waitFor } from '../../helpers/wait-for.js';
import { exampleSnapshot } from '../fixtures/snapshots.js';
import { T0 } from '../fixtures/denials.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});

const mention = { kind: 'AuthorizationPolicy', namespace: 'poc-mesh', name: 'backend-deny-payments-example', rule: 0, ruleRef: 'ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]' };

function denied(): Explanation {
  return {
    kind: 'Explanation',
    verdict: 'denied',
    source: { namespace: 'poc-mesh', name: 'payments', kind: 'Pod', workload: 'Deployment/payments', principal: 'cluster.local/ns/poc-mesh/sa/payments-sa', ip: null },
    destination: { namespace: 'poc-mesh', name: 'backend', kind: 'Service', workload: 'Deployment/backend', principal: null, ip: null },
    request: { protocol: 'TCP', port: 8080, servicePort: 80, http: { method: 'GET', path: '/api/orders', host: null, headers: {} } },
    decidedBy: { layer: 'authz-deny', policy: mention },
    expectedResponse: { status: 403, body: 'RBAC: access denied', flags: null, details: `rbac_access_denied_matched_policy[${mention.ruleRef}]` },
  } as unknown as Explanation;
}

const query = { src: 'poc-mesh/payments', dst: 'poc-mesh/backend' } as unknown as ExplainQuery;

/** Subscribes until the first burst arrives, then unsubscribes (stopping the feed's timers). */
async function firstBurst(feed: LogFeed): Promise<FeedEvent[]> {
  const batches: FeedEvent[][] = [];
  const stop = feed.subscribe((events) => batches.push([...events]));
  await waitFor(() => expect(batches.length).toBeGreaterThan(0));
  stop();
  return batches.flat();
}

describe('demo traffic feed', () => {
  it('emits the access log line and a denial naming the deciding policy and rule', async () => {
    const feed = createTrafficFeed({ snapshot, engine: { explain: denied }, queries: [query], intervalMs: 60_000, clock: () => T0 });
    const events = await firstBurst(feed);
    const log = events.find((e) => e.type === 'log');
    expect(log).toMatchObject({ pod: 'poc-mesh/backend', container: 'istio-proxy' });
    expect(log?.type === 'log' && log.text).toContain('"GET /api/orders HTTP/1.1" 403 - rbac_access_denied_matched_policy[ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]]');
    const denial = events.find((e): e is DenialEvent => e.type === 'denial');
    expect(denial).toMatchObject({ source: 'poc-mesh/payments', destination: 'poc-mesh/backend', ruleRef: mention.ruleRef, layer: 'authz-deny', request: 'GET /api/orders :80' });
    expect(events.some((e) => e.type === 'log' && e.text.includes('enforced denied'))).toBe(false);
  });

  it('prints RBAC debug lines only while the rbac logger is raised', async () => {
    const feed = createTrafficFeed({ snapshot, engine: { explain: denied }, queries: [query], intervalMs: 60_000, clock: () => T0 });
    await feed.setLogLevel({ namespace: 'poc-mesh', workload: 'Deployment/backend', pods: ['backend'], loggers: ['rbac'], level: 'debug' });
    const texts = (await firstBurst(feed)).flatMap((e) => (e.type === 'log' ? [e.text] : []));
    expect(texts.some((t) => t.includes('enforced denied, matched policy ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]'))).toBe(true);
    expect(texts.some((t) => t.includes('checking request'))).toBe(true);
    await feed.setLogLevel({ namespace: 'poc-mesh', workload: 'Deployment/backend', pods: ['backend'], loggers: ['rbac'], level: 'info' });
    const after = await firstBurst(feed);
    expect(after.some((e) => e.type === 'log' && e.text.includes('enforced denied'))).toBe(false);
  });

  it('reports "matched policy none" denials without a deciding rule', async () => {
    const none = (): Explanation => ({ ...denied(), decidedBy: { layer: 'authz-allow', policy: { ...mention, name: 'namespace-deny-all', rule: null } } }) as unknown as Explanation;
    const feed = createTrafficFeed({ snapshot, engine: { explain: none }, queries: [query], intervalMs: 60_000, clock: () => T0 });
    const denial = (await firstBurst(feed)).find((e): e is DenialEvent => e.type === 'denial');
    expect(denial).toMatchObject({ policy: null, ruleRef: null, layer: 'authz-allow' });
  });
});
