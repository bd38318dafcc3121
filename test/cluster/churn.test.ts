/**
 * The TUI (the built binary, in a pseudo-terminal) on a private real control plane while the
 * cluster changes under it: pods added, relabelled and deleted, an AuthorizationPolicy created and
 * edited. The views follow through watches, not periodic relists. Then the apiserver is stopped
 * and started mid-session: the header says stale while it is down, everything recovers, and the
 * apiserver's audit log shows no request storm after the restart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal, screenMatching, type Terminal } from '../helpers/terminal.js';
import { makeClientCert } from './lib/certs.js';
import { startTestCluster, type TestCluster } from './lib/cluster.js';
import { apiServerUrl, auditLogFile, startApiServer, stopApiServer, stopControlPlane } from './lib/control-plane.js';
import { REPO } from './lib/harness.js';
import { writeKubeconfig } from './lib/kubeconfig.js';
import { createRunningPod } from './lib/pods.js';
import { expectOk } from './lib/rest.js';

const NS = 'churn';
const TUI_USER = 'meshdbg-tui';
/** How long a view may take to follow a change here: well under one relist period, with room for a loaded CI machine. */
const FOLLOW_MS = 15_000;

let dir: string;
let cluster: TestCluster;
let term: Terminal | null = null;
/** Milliseconds from each change's API call returning to the TUI showing it. */
const latencies: Record<string, number> = {};

const pods = (path = '') => `/api/v1/namespaces/${NS}/pods${path}`;
const authz = (path = '') => `/apis/security.istio.io/v1/namespaces/${NS}/authorizationpolicies${path}`;

function podTemplate(app: string) {
  return {
    metadata: { labels: { app } },
    spec: {
      serviceAccountName: 'default',
      containers: [
        { name: 'app', image: 'example/app', ports: [{ containerPort: 8080 }] },
        { name: 'istio-proxy', image: 'istio/proxyv2' },
      ],
    },
  };
}

/** The pods view's row for `name` (NO_COLOR: the selected row has a `>` gutter). */
function podRow(screen: string, name: string): string | undefined {
  return screen.split('\n').find((l) => new RegExp(`\\s${NS}\\s+${name}\\s`).test(` ${l}`));
}

/** Waits until `check` holds on the screen; records how long that took under `label`. */
async function follows(label: string, check: (screen: string) => boolean): Promise<string> {
  const t0 = Date.now();
  const screen = await screenMatching(term!, check, FOLLOW_MS).catch((err: Error) => {
    throw new Error(`${label}: ${err.message}`);
  });
  latencies[label] = Date.now() - t0;
  return screen;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meshdbg-churn-'));
  cluster = await startTestCluster(join(dir, 'cp'));
  const { admin, state } = cluster;
  await expectOk(
    admin.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }),
    NS,
  );
  const isolateDb = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'isolate-db', namespace: NS },
    spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] },
  };
  await expectOk(admin.call('POST', `/apis/networking.k8s.io/v1/namespaces/${NS}/networkpolicies`, isolateDb), 'np');
  await createRunningPod(admin, NS, 'web-1', podTemplate('web'));
  // the TUI's own user, so the audit log tells its requests from the harness's
  const cert = makeClientCert(join(state.dir, 'pki'), state.pki, TUI_USER, ['system:masters']);
  const kubeconfig = writeKubeconfig({
    file: join(state.dir, 'tui.kubeconfig'),
    server: apiServerUrl(state),
    caFile: state.pki.caFile,
    user: TUI_USER,
    cert,
  });
  const bin = join(REPO, 'dist', 'meshdbg.mjs');
  term = openTerminal(`env NO_COLOR=1 KUBECONFIG=${kubeconfig} ${process.execPath} ${bin} -n ${NS}`, REPO, 160, 40);
  await screenMatching(term, new RegExp(`${NS}\\s+web-1\\s`), 60_000);
}, 600_000);

afterAll(async () => {
  term?.close();
  if (cluster) await stopControlPlane(cluster.state);
  if (dir && !process.env['MESHDBG_KEEP_CLUSTER']) rmSync(dir, { recursive: true, force: true });
  console.log(`churn: view latencies (ms) ${JSON.stringify(latencies)}`);
});

describe('the TUI on a real apiserver while the cluster changes', () => {
  it('shows a pod created after start', async () => {
    await createRunningPod(cluster.admin, NS, 'web-2', podTemplate('web'));
    await follows('pod added', (s) => podRow(s, 'web-2') !== undefined);
  });

  it('re-evaluates a relabelled pod: isolated for ingress once a NetworkPolicy selects it', async () => {
    expect(podRow(term!.screen(), 'web-1')).not.toMatch(/\sI\s/);
    const patch = { metadata: { labels: { app: 'db' } } };
    await expectOk(cluster.admin.call('PATCH', pods('/web-1'), patch, 'application/merge-patch+json'), 'relabel');
    await follows('pod relabelled', (s) => /\sI\s/.test(podRow(s, 'web-1') ?? ''));
  });

  it('counts an AuthorizationPolicy created, then drops it when its selector is edited away', async () => {
    const authzColumn = (s: string, name: string) => {
      const header = s.split('\n').find((l) => /\bAUTHZ\b/.test(l)) ?? '';
      return (podRow(s, name) ?? '').slice(header.indexOf('AUTHZ'), header.indexOf('AUTHZ') + 5).trim();
    };
    expect(authzColumn(term!.screen(), 'web-2')).toBe('0');
    const policy = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'web-only-get', namespace: NS },
      spec: { selector: { matchLabels: { app: 'web' } }, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] },
    };
    await expectOk(cluster.admin.call('POST', authz(), policy), 'create AuthorizationPolicy');
    await follows('policy created', (s) => authzColumn(s, 'web-2') === '1');
    const moved = { spec: { selector: { matchLabels: { app: 'nothing-here' } } } };
    await expectOk(cluster.admin.call('PATCH', authz('/web-only-get'), moved, 'application/merge-patch+json'), 'edit');
    await follows('policy edited', (s) => authzColumn(s, 'web-2') === '0');
  });

  it('removes a deleted pod', async () => {
    await expectOk(cluster.admin.call('DELETE', pods('/web-2?gracePeriodSeconds=0')), 'delete web-2');
    await follows('pod deleted', (s) => podRow(s, 'web-2') === undefined);
  });
});

interface AuditEvent {
  readonly auditID: string;
  readonly verb: string;
  readonly requestURI: string;
  readonly user: { readonly username: string };
  readonly objectRef?: { readonly resource?: string; readonly subresource?: string };
  readonly responseStatus?: { readonly code?: number };
}

/** The TUI user's requests in the audit log from line `from` on, one per audit ID. */
function tuiRequests(from: number): AuditEvent[] {
  const lines = readFileSync(auditLogFile(cluster.state), 'utf8').split('\n').slice(from);
  const byId = new Map<string, AuditEvent>();
  for (const line of lines) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as AuditEvent;
    if (event.user.username === TUI_USER) byId.set(event.auditID, event);
  }
  return [...byId.values()];
}

const auditLines = () => readFileSync(auditLogFile(cluster.state), 'utf8').split('\n').length - 1;

describe('the apiserver stopped and started mid-session', () => {
  it('says stale while it is down, and recovers after the restart without a request storm', async () => {
    // what the TUI watches in a steady state: one watch per collection (kind, and namespace)
    const watched = new Set(
      tuiRequests(0)
        .filter((e) => e.verb === 'watch')
        .map((e) => e.requestURI.replace(/\?.*$/, '')),
    );
    expect(watched.size).toBeGreaterThan(0);
    await stopApiServer(cluster.state);
    await screenMatching(term!, /stale since \d\d:\d\d:\d\dZ/, 30_000);
    const restartedAt = auditLines();
    await startApiServer(cluster.state);
    await screenMatching(term!, (s) => !s.includes('stale since'), 60_000);
    await createRunningPod(cluster.admin, NS, 'web-3', podTemplate('web'));
    await follows('pod added after restart', (s) => podRow(s, 'web-3') !== undefined);
    // ten seconds of steady state after recovery, then count
    await new Promise((r) => setTimeout(r, 10_000));
    const after = tuiRequests(restartedAt);
    const count = (key: (e: AuditEvent) => string) =>
      after.reduce<Record<string, number>>((acc, e) => ({ ...acc, [key(e)]: (acc[key(e)] ?? 0) + 1 }), {});
    const byVerb = count((e) => `${e.verb}${e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''}`);
    const byStatus = count((e) => String(e.responseStatus?.code ?? 'none'));
    const perCollection = count((e) => e.requestURI.replace(/\?.*$/, ''));
    console.log(
      `churn: ${watched.size} collections watched; after restart ${after.length} requests, ${JSON.stringify(byVerb)}, statuses ${JSON.stringify(byStatus)}`,
    );
    // A starting apiserver answers 503 while CRD handlers come up and 429 (Retry-After) while its watch cache
    // fills; the expired watch then needs one list. So a collection may take a 503, a 429, a watch that
    // ends, one list and one watch: 5 requests. A storm is retrying without waiting, many per collection.
    const busiest = Object.entries(perCollection).sort((a, b) => b[1] - a[1])[0];
    expect(busiest?.[1] ?? 0, `busiest collection ${JSON.stringify(busiest)}`).toBeLessThanOrEqual(6);
    expect(after.length, JSON.stringify(byVerb)).toBeLessThanOrEqual(5 * watched.size + 10);
    // each collection is listed at most once more, and watched again
    expect(byVerb['list'] ?? 0).toBeLessThanOrEqual(watched.size);
    const rewatched = new Set(after.filter((e) => e.verb === 'watch').map((e) => e.requestURI.replace(/\?.*$/, '')));
    expect([...watched].filter((w) => !rewatched.has(w))).toEqual([]);
  }, 180_000);
});
