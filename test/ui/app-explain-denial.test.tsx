import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { osc52, type UiIo } from '../../src/ui/io.js';
import { requestFields } from '../../src/ui/state/explain-from-denial.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { recordingEngine, uiData } from './fixtures/ui-data.js';
import { renderApp, unmountAppsAfterEach, type AppHarness } from './fixtures/app.js';
import { paymentsDenial } from './fixtures/denials.js';
import type { DenialEvent } from '../../src/ui/feeds/log-feed.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

/** frontend POST /api/orders: no ALLOW rule of backend matches (examples/poc-mesh/expect.yaml, frontend-post-orders). */
function frontendPost(): DenialEvent {
  return {
    ...paymentsDenial(),
    id: 'rbac|authz-allow|frontend->backend',
    source: 'poc-mesh/frontend',
    destination: 'poc-mesh/backend',
    request: 'POST /api/orders :8080',
    query: { port: 8080, method: 'POST', path: '/api/orders' },
    layer: 'authz-allow',
    policy: null,
    ruleRef: null,
    evidence: ['enforced denied, matched policy none'],
  };
}

function recordingIo(): UiIo & { written: { path: string; text: string }[]; copied: string[] } {
  const written: { path: string; text: string }[] = [];
  const copied: string[] = [];
  return {
    written,
    copied,
    writeFile: (path, text) => {
      written.push({ path, text });
      return Promise.resolve();
    },
    copy: (text) => {
      copied.push(text);
    },
  };
}

async function openDenials(app: AppHarness, denial: DenialEvent): Promise<void> {
  await app.waitForText('payments');
  app.feed.emit([denial]);
  app.press('command');
  app.type('denials\r');
  await app.waitForText('POLICY[RULE]');
  await app.waitForText(denial.source);
}

describe('x on a denial', () => {
  it("runs explain with the denial's source, destination, port, method and path", async () => {
    const { queries, engine } = recordingEngine();
    const app = renderApp(uiData(snapshot, { engine }), { rows: 50 });
    await openDenials(app, frontendPost());
    app.press('explain-denial', 'denials');
    const frame = await app.waitForText('verdict: denied');
    expect(frame).toContain('from poc-mesh/frontend');
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({
      src: 'poc-mesh/frontend',
      dst: 'poc-mesh/backend',
      port: 8080,
      http: { method: 'POST', path: '/api/orders' },
    });
  });

  it('also works from the open denial, and e edits the prefilled query', async () => {
    const app = renderApp(uiData(snapshot), { rows: 50 });
    await openDenials(app, frontendPost());
    app.press('open', 'denials');
    await app.waitForText('Evidence');
    app.press('explain-denial', 'denial');
    await app.waitForText('verdict: denied');
    app.press('explain-edit', 'explain');
    const form = await app.waitForText('> port    8080');
    expect(form).toContain('method  POST');
    expect(form).toContain('path    /api/orders');
  });

  it('says why when the denial names no source', async () => {
    const app = renderApp(uiData(snapshot), { rows: 50 });
    await openDenials(app, { ...frontendPost(), source: 'unknown' });
    app.press('explain-denial', 'denials');
    await app.waitForText("the denial's source is unknown");
  });
});

describe('f, :w and c on an explain result', () => {
  it('shows the fix YAML, writes it with :w FILE and copies it with c', async () => {
    const io = recordingIo();
    const app = renderApp(uiData(snapshot), { rows: 60, io });
    await openDenials(app, frontendPost());
    app.press('explain-denial', 'denials');
    await app.waitForText('verdict: denied');
    app.press('show-fix', 'explain');
    const frame = await app.waitForText('kind: AuthorizationPolicy');
    expect(frame).toContain('- POST');
    app.press('command');
    app.type('w fix.yaml\r');
    await app.waitForText('wrote fix.yaml');
    expect(io.written).toHaveLength(1);
    expect(io.written[0]?.path).toBe('fix.yaml');
    expect(io.written[0]?.text).toMatch(/^apiVersion: security\.istio\.io\/v1\nkind: AuthorizationPolicy\n/);
    app.press('copy', 'yaml');
    await app.waitForText('copied');
    expect(io.copied).toEqual([io.written[0]?.text]);
  });

  it('reports a failed write on the status line', async () => {
    const io = { ...recordingIo(), writeFile: () => Promise.reject(new Error('EACCES: permission denied')) };
    const app = renderApp(uiData(snapshot), { rows: 60, io });
    await openDenials(app, frontendPost());
    app.press('explain-denial', 'denials');
    await app.waitForText('verdict: denied');
    app.press('command');
    app.type('w /root/fix.yaml\r');
    await app.waitForText(':w /root/fix.yaml: EACCES: permission denied');
  });

  it(':w outside a YAML view or a result says what to open', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.press('command');
    app.type('w out.yaml\r');
    await app.waitForText('nothing to write here');
  });
});

describe('y shows YAML', () => {
  it('of the selected policy as it was read', async () => {
    const app = renderApp(uiData(snapshot), { rows: 50 });
    await app.waitForText('payments');
    app.press('command');
    app.type('ap\r');
    await app.waitForText('backend-allow-frontend-read');
    app.press('show-yaml', 'policies');
    const frame = await app.waitForText('apiVersion: security.istio.io');
    expect(frame).toContain('kind: AuthorizationPolicy');
  });

  it('of the selected pod, as meshdbg modelled it', async () => {
    const app = renderApp(uiData(snapshot), { rows: 50 });
    await app.waitForText('payments');
    app.press('show-yaml');
    const frame = await app.waitForText('as meshdbg modelled it');
    expect(frame).toContain('serviceAccount:');
  });
});

describe('request fields of a recorded denial', () => {
  it.each([
    ['GET /api/orders :8080', { method: 'GET', path: '/api/orders', port: 8080 }],
    ['TCP :5432', { method: null, path: null, port: 5432 }],
    ['HTTP', { method: null, path: null, port: null }],
    ['/health :80', { method: null, path: '/health', port: 80 }],
    ['GET  :80', { method: 'GET', path: null, port: 80 }],
  ])('%s', (text, fields) => {
    expect(requestFields(text)).toEqual(fields);
  });
});

describe('osc52', () => {
  it('is ESC ] 52 ; c ; base64(UTF-8) BEL', () => {
    expect(osc52('a: ü\n')).toBe(`\u001b]52;c;${Buffer.from('a: ü\n', 'utf8').toString('base64')}\u0007`);
  });
});
