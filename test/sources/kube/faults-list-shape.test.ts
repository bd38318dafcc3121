/**
 * A 200 answer to a list that is no list of that kind (a proxy's error page as JSON, a Status
 * with 200, `items` that are no array, an item of another kind or with no name) was read as what
 * it held: an answer without `items` as an empty list (every AuthorizationPolicy gone, the flow
 * "allowed" with no condition), and an item `kind: Pod` in the AuthorizationPolicy list as a Pod
 * (its own kind won over the list's). Each is now a failed list: a partial-view gap naming the
 * kind, as any other failed list is (client-go refuses such a body when decoding it).
 * A server whose pages never end (a repeated or endless continue token) hung the list for ever,
 * its items piling up: now a gap after a repeated token or MAX_LIST_PAGES pages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../helpers/kube-api-server.js';
import type { Fault } from '../../helpers/kube-faults.js';
import { explain } from '../../../src/engine/explain.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { parseQuery } from '../../../src/parsers/explain-query.js';
import { createLiveSource, type LiveSource } from '../../../src/sources/kube/live-source.js';
import { MAX_LIST_PAGES } from '../../../src/sources/kube/reflector.js';
import { applyPartialView } from '../../../src/sources/kube/partial-view.js';
import { contextFor } from './support/fixtures.js';
import { ALLOWED_QUERY, pocCluster } from './support/poc-cluster.js';

let api: KubeApiServer;
let source: LiveSource | null = null;
afterEach(async () => {
  source?.stop();
  source = null;
  await api.close();
});

const AP_LIST = /^\/apis\/security\.istio\.io\/v1\/authorizationpolicies$/;

/** The cluster-wide AuthorizationPolicy list answered 200 with `body`, every time. */
function listAnswers(body: unknown): Fault {
  return {
    match: (req) => AP_LIST.test(req.path) && !req.watching,
    times: Infinity,
    respond: (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    },
  };
}

async function answerWith(
  fault: Fault,
  maxListPages?: number,
): Promise<{ verdict: string; partial: string[]; pods: string[] }> {
  api = await pocCluster();
  api.faults.add(fault);
  source = createLiveSource({
    context: contextFor(api, 'poc-mesh'),
    namespaces: [],
    allNamespaces: false,
    requestTimeoutMs: 2000,
    watch: false,
    retry: { sleep: () => Promise.resolve(), random: () => 0.5 },
    ...(maxListPages ? { reflector: { maxListPages } } : {}),
  });
  await source.start();
  const snapshot = snapshotFromObjects(source.objects(), null, 'cluster', 'cluster');
  const answer = explain(snapshot, parseQuery(ALLOWED_QUERY));
  if (!('verdict' in answer)) throw new Error(JSON.stringify(answer));
  const adjusted = applyPartialView(answer, source.status(), 'istio-system');
  return {
    verdict: adjusted.verdict,
    partial: adjusted.conditions.filter((c) => c.code === 'partial-view').map((c) => c.message),
    pods: snapshot.pods.map((p) => p.name),
  };
}

/** a lower page cap than MAX_LIST_PAGES, so the endless lists end quickly */
const PAGES = 40;

const ITEM = { metadata: { name: 'deny-all', namespace: 'poc-mesh' }, spec: { action: 'DENY', rules: [{}] } };

describe('a 200 list answer that is no list of the kind asked for', () => {
  it('a well-formed AuthorizationPolicyList with a DENY item denies (the baseline)', async () => {
    const r = await answerWith(
      listAnswers({ kind: 'AuthorizationPolicyList', apiVersion: 'security.istio.io/v1', metadata: {}, items: [ITEM] }),
    );
    expect([r.verdict, r.partial]).toEqual(['denied', []]);
  });

  it.each([
    ['a Status object', { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500 }],
    ['an empty object', {}],
    ['items that are an object', { kind: 'AuthorizationPolicyList', metadata: {}, items: { a: ITEM } }],
    ['items that are a string', { kind: 'AuthorizationPolicyList', metadata: {}, items: 'x' }],
    ['an item that is null', { kind: 'AuthorizationPolicyList', metadata: {}, items: [null] }],
    ['an item with no name', { kind: 'AuthorizationPolicyList', metadata: {}, items: [{ metadata: {} }] }],
    [
      'an item of another kind',
      {
        kind: 'AuthorizationPolicyList',
        metadata: {},
        items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'planted', namespace: 'poc-mesh' } }],
      },
    ],
    ['a JSON array', [ITEM]],
    ['null', null],
  ])('%s: a partial-view gap on AuthorizationPolicy, conditional, nothing planted', async (_, body) => {
    const r = await answerWith(listAnswers(body));
    expect(r.verdict).toBe('conditional');
    expect(r.partial).toEqual([
      expect.stringMatching(/AuthorizationPolicy\.security\.istio\.io in all namespaces is unreadable/),
    ]);
    expect(r.pods).not.toContain('planted');
  });

  it('items: null is an empty list, as the API server writes a nil slice', async () => {
    const r = await answerWith(listAnswers({ kind: 'AuthorizationPolicyList', metadata: {}, items: null }));
    expect([r.verdict, r.partial]).toEqual(['allowed', []]);
  });

  it.each([
    ['the same continue token on every page', () => 'again'],
    ['a new continue token on every page, without end', (n: number) => `page-${n}`],
  ])(
    '%s: a gap after a bounded number of pages, not a hang',
    async (_, token) => {
      let pages = 0;
      const endless: Fault = {
        match: (req) => AP_LIST.test(req.path) && !req.watching,
        times: Infinity,
        respond: (res) => {
          pages++;
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ kind: 'AuthorizationPolicyList', metadata: { continue: token(pages) }, items: [] }));
        },
      };
      const r = await answerWith(endless, PAGES);
      expect(r.verdict).toBe('conditional');
      expect(r.partial).toEqual([
        expect.stringMatching(/AuthorizationPolicy\.security\.istio\.io in all namespaces is unreadable/),
      ]);
      // the cap is injectable; the default is the same code path with a larger number
      expect(MAX_LIST_PAGES).toBeGreaterThan(PAGES);
      expect(pages).toBeLessThanOrEqual(4 * PAGES);
    },
    60_000,
  );
});
