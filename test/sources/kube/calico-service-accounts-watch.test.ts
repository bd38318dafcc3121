/**
 * ServiceAccount labels in live mode: listed and watched like every Snapshot kind, they decide a
 * Calico serviceAccounts.selector; a failed ServiceAccount list is a partial-view condition and the
 * rule that reads the unknown labels is conditional, naming the ServiceAccount.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import type { MockResource } from '../../helpers/kube-api-server.js';
import { statusFault } from '../../helpers/kube-faults.js';
import { waitFor } from '../../helpers/wait-for.js';
import { explain } from '../../../src/engine/explain.js';
import type { Explanation } from '../../../src/engine/explanation.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { parseQuery } from '../../../src/parsers/explain-query.js';
import { SNAPSHOT_KINDS } from '../../../src/sources/kube/kinds.js';
import { createLiveSource, type LiveSource } from '../../../src/sources/kube/live-source.js';
import { applyPartialView } from '../../../src/sources/kube/partial-view.js';
import { contextFor, namespace, pod } from './support/fixtures.js';

const ALL_KINDS: MockResource[] = SNAPSHOT_KINDS.map((k) => ({
  group: k.group,
  version: k.versions[0] ?? 'v1',
  kind: k.kind,
  plural: k.plural,
  namespaced: k.namespaced,
}));

let api: KubeApiServer;
let source: LiveSource | null = null;
afterEach(async () => {
  source?.stop();
  source = null;
  await api.close();
});

function serviceAccount(team: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'client-sa', namespace: 'a', labels: { team } },
  };
}

/** Pods a/client (as client-sa) and b/server; b admits only ServiceAccounts labelled team=payments. */
async function cluster(): Promise<KubeApiServer> {
  const server = await KubeApiServer.start(ALL_KINDS);
  for (const ns of ['a', 'b']) server.put(namespace(ns));
  const client = pod('a', 'client', '10.0.0.1');
  server.put({ ...client, spec: { ...(client['spec'] as object), serviceAccountName: 'client-sa' } });
  server.put(pod('b', 'server', '10.0.0.2'));
  server.put(serviceAccount('payments'));
  server.put({
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name: 'by-sa' },
    spec: {
      selector: 'projectcalico.org/namespace == "b"',
      ingress: [
        { action: 'Allow', source: { serviceAccounts: { selector: 'team == "payments"' } } },
        { action: 'Deny' },
      ],
    },
  });
  return server;
}

async function start(watch: boolean): Promise<LiveSource> {
  source = createLiveSource({
    context: contextFor(api, 'a'),
    namespaces: [],
    allNamespaces: false,
    requestTimeoutMs: 2000,
    watch,
    retry: { sleep: () => Promise.resolve(), random: () => 0.5 },
  });
  await source.start();
  return source;
}

function answer(live: LiveSource): Explanation {
  const e = explain(
    snapshotFromObjects(live.objects(), null, 'cluster', 'cluster'),
    parseQuery({ src: 'a/client', dst: 'b/server', port: 80 }),
  );
  if (!('verdict' in e)) throw new Error(JSON.stringify(e));
  return applyPartialView(e, live.status(), 'istio-system');
}

describe('live: ServiceAccount labels decide Calico serviceAccounts selectors', () => {
  it('lists ServiceAccounts and follows a label change through the watch', async () => {
    api = await cluster();
    const live = await start(true);
    const first = answer(live);
    expect(first.verdict).toBe('allowed');
    expect(first.decidedBy?.policy?.ruleRef).toBe('GlobalNetworkPolicy:by-sa:ingress[0]');
    await waitFor(() => expect(api.openWatchCount).toBeGreaterThan(3));
    api.put(serviceAccount('billing'));
    await waitFor(() => expect(answer(live).verdict).toBe('denied'));
    expect(answer(live).decidedBy?.policy?.ruleRef).toBe('GlobalNetworkPolicy:by-sa:ingress[1]');
  });

  it('a failed ServiceAccount list is a partial-view condition, and the rule is conditional naming the account', async () => {
    api = await cluster();
    api.faults.add(statusFault({ path: /\/serviceaccounts$/ }, 500));
    const e = answer(await start(false));
    expect(e.verdict).toBe('conditional');
    const messages = e.conditions.map((c) => `${c.code}: ${c.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^partial-view: partial view: ServiceAccount in all namespaces is unreadable \(500/),
        expect.stringMatching(/^calico-service-account-labels: .*the ServiceAccount a\/client-sa is not in the input/),
      ]),
    );
  });
});
