import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import type { ExplainQuery, Explanation } from '../../src/engine/explanation.js';
import { REAL_ENGINE } from '../../src/ui/data/real-engine.js';
import type { EnginePort } from '../../src/ui/data/engine-port.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { explain } from '../../src/engine/explain.js';
import { waitFor } from '../helpers/wait-for.js';
import { styled } from '../../src/report/styled-line.js';
import { formatExplanationText } from '../../src/report/text.js';
import { explainQuery } from '../../src/ui/docs/explain-doc.js';
import { T0 } from './fixtures/denials.js';
import { uiData } from './fixtures/ui-data.js';
import { filterPods, renderApp, unmountAppsAfterEach, type AppHarness } from './fixtures/app.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

function recordingEngine(queries: ExplainQuery[]): EnginePort {
  return {
    ...REAL_ENGINE,
    explain(_snapshot, query) {
      queries.push(query);
      return { kind: 'Explanation', verdict: 'denied' } as unknown as Explanation;
    },
    explanationLines: (e) => [
      styled(`FORMATTED BY THE SHARED FORMATTER: ${e.verdict}`),
      styled('line two \u001b[31mred\u001b[0m'),
    ],
  };
}

async function startFromPayments(a: AppHarness): Promise<void> {
  await filterPods(a, 'payments', 'frontend');
  a.press('explain-from-here');
  await a.waitForText('from poc-mesh/payments');
}

describe('explain view', () => {
  it('picks the peer fuzzily, takes port, method, path, and shows the shared formatter output', async () => {
    const queries: ExplainQuery[] = [];
    const app = renderApp(uiData(snapshot, { engine: recordingEngine(queries) }));
    await startFromPayments(app);
    app.type('backnd');
    await app.waitForNoText('istiod');
    app.type('\r8080\rget\r/api/orders\r\r');
    const frame = await app.waitForText('FORMATTED BY THE SHARED FORMATTER: denied');
    expect(frame).toContain('verdict: denied');
    expect(frame).toContain('line two red');
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({
      src: 'poc-mesh/payments',
      dst: 'poc-mesh/backend',
      port: 8080,
      http: { method: 'GET', path: '/api/orders' },
      jwt: null,
      now: '2026-11-22T12:00:00.000Z',
    });
  });

  it('the form footer describes the form (q is typed, not quit); e edits the query and runs it again', async () => {
    const queries: ExplainQuery[] = [];
    const app = renderApp(uiData(snapshot, { engine: recordingEngine(queries) }));
    await startFromPayments(app);
    const form = await app.waitForText('next field');
    expect(form).not.toContain('q quit');
    app.type('backend\r8080\rGET\r/q\r\r');
    await app.waitForText('FORMATTED BY THE SHARED FORMATTER');
    expect(app.quits.count).toBe(0);
    expect(queries[0]?.http?.path).toBe('/q');
    app.press('explain-edit', 'explain');
    await app.waitForNoText('FORMATTED BY THE SHARED FORMATTER');
    app.type('\u007F\u007F\u007F\u007F80\r\r\r\r');
    await waitFor(() => expect(queries).toHaveLength(2));
    expect(queries[1]).toMatchObject({ dst: 'poc-mesh/backend', port: 80, http: { method: 'GET', path: '/q' } });
  });

  it('offers Services (with their ports) before pods', async () => {
    const app = renderApp(uiData(snapshot, { engine: recordingEngine([]) }));
    await startFromPayments(app);
    app.type('backend');
    const frame = await app.waitForText('PORTS / WORKLOAD');
    expect(frame).toMatch(/Service\s+poc-mesh\s+backend\s+80\/http/);
    expect(frame).toMatch(/Pod\s+poc-mesh\s+backend\s+Deployment\/backend/);
    expect(frame.indexOf('Service ')).toBeLessThan(frame.indexOf('Pod '));
  });

  it('rejects a bad port with a one-line reason', async () => {
    const app = renderApp(uiData(snapshot, { engine: recordingEngine([]) }));
    await startFromPayments(app);
    app.type('backend\r99999\r\r\r\r');
    await app.waitForText('port "99999" is not a number from 1 to 65535');
  });

  it('shows engine errors with candidates', async () => {
    const engine: EnginePort = {
      ...REAL_ENGINE,
      explain: () => ({
        kind: 'Error',
        id: null,
        code: 'port-required',
        message: 'backend has 2 ports; pick one',
        candidates: ['80', '8080'],
      }),
    };
    const app = renderApp(uiData(snapshot, { engine }));
    await startFromPayments(app);
    app.type('backend\r\r\r\r\r');
    const frame = await app.waitForText('port-required: backend has 2 ports; pick one');
    expect(frame).toContain('candidates: 80, 8080');
  });

  it('Esc leaves the form, typing q in a field does not quit', async () => {
    const app = renderApp(uiData(snapshot, { engine: recordingEngine([]) }));
    await startFromPayments(app);
    app.type('q');
    await app.waitForText('to      q');
    expect(app.quits.count).toBe(0);
    app.press('back', 'explain');
    await app.waitForNoText('from poc-mesh/payments');
  });
});

describe('explain view over the real engine', () => {
  it('shows exactly what the CLI prints for the same query (shared formatter)', async () => {
    const app = renderApp(uiData(snapshot), { rows: 300, columns: 200 });
    await startFromPayments(app);
    app.type('backend\r80\rGET\r/api/orders\r\r');
    const frame = await app.waitForText('verdict:');
    const query = explainQuery(
      'poc-mesh/payments',
      { peerQuery: 'backend', peer: 'poc-mesh/backend', port: '80', method: 'GET', path: '/api/orders', jwt: '' },
      T0,
    );
    if (typeof query === 'string') throw new Error(query);
    const result = explain(snapshot, query);
    if (result.kind === 'Error') throw new Error(result.message);
    const cliLines = formatExplanationText(result, snapshot)
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(cliLines.length).toBeGreaterThan(2);
    for (const l of cliLines) expect(frame).toContain(l);
    expect(frame).toContain(`verdict: ${result.verdict}`);
  });
});
