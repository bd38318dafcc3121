import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import type { ExplainQuery } from '../../src/engine/explanation.js';
import type { EnginePort } from '../../src/ui/data/engine-port.js';
import { REAL_ENGINE } from '../../src/ui/data/real-engine.js';
import { methodProblem, pathProblem } from '../../src/ui/state/explain-validation.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { uiData } from './fixtures/ui-data.js';
import { filterPods, renderApp, unmountAppsAfterEach, type AppHarness } from './fixtures/app.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

function recording(queries: ExplainQuery[]): EnginePort {
  return {
    ...REAL_ENGINE,
    explain: (s, q) => {
      queries.push(q);
      return REAL_ENGINE.explain(s, q);
    },
  };
}

async function fromFrontend(app: AppHarness): Promise<void> {
  await filterPods(app, 'frontend', 'payments');
  app.press('explain-from-here');
  await app.waitForText('from poc-mesh/frontend');
}

describe('the explain form checks each field as it is typed', () => {
  it('refuses a port that is not a number, inline and on <enter>', async () => {
    const app = renderApp(uiData(snapshot), { rows: 40 });
    await fromFrontend(app);
    app.type('poc-mesh/backend');
    await app.waitForText('Service');
    app.type('\r80a');
    await app.waitForText('✗ port "80a" is not a number from 1 to 65535');
    app.type('\r');
    await app.waitForText('> port    80a');
    app.type('\u007f');
    await app.waitForNoText('✗ port');
  });

  it('warns (without refusing) about a port the destination Service does not declare', async () => {
    const app = renderApp(uiData(snapshot), { rows: 40 });
    await fromFrontend(app);
    app.type('poc-mesh/backend');
    await app.waitForText('Service');
    app.type('\r9999');
    await app.waitForText('! 9999 is not a port Service backend declares (80/http)');
    app.type('\r');
    await app.waitForText('> method');
  });

  it('names an unknown destination with did-you-mean from the engine, and refuses it', async () => {
    const app = renderApp(uiData(snapshot), { rows: 40 });
    await fromFrontend(app);
    app.type('deploy/backnd.poc-mesh');
    const frame = await app.waitForText('✗ unknown destination "deploy/backnd.poc-mesh"');
    expect(frame).toMatch(/did you\s+mean poc-mesh\/backend/);
    app.type('\r');
    await app.waitForText('> to      deploy/backnd.poc-mesh');
  });

  it('takes an IP as the CLI does, offered first in the picker', async () => {
    const queries: ExplainQuery[] = [];
    const app = renderApp(uiData(snapshot, { engine: recording(queries) }), { rows: 40 });
    await fromFrontend(app);
    app.type('203.0.113.7');
    await app.waitForText(/IP\s+-\s+203\.0\.113\.7\s+outside the cluster/);
    app.type('\r443\r\r\r\r');
    await app.waitForText('verdict:');
    expect(queries[0]).toMatchObject({ dst: '203.0.113.7', port: 443 });
  });

  it('refuses a path without a leading slash', async () => {
    const app = renderApp(uiData(snapshot), { rows: 40 });
    await fromFrontend(app);
    app.type('poc-mesh/backend');
    await app.waitForText('Service');
    app.type('\r80\rGET\rapi');
    await app.waitForText('✗ path "api" must start with /');
    app.type('\r');
    await app.waitForText('> path    api');
  });
});

describe('method and path checks', () => {
  it.each([
    ['get', null],
    ['PURGE', 'warning'],
    ['GE T', 'error'],
  ])('method %s', (m, level) => {
    expect(methodProblem(m)?.level ?? null).toBe(level);
  });
  it.each([
    ['/api', null],
    // Envoy's connection manager answers 404 absolute_path_rejected to any :path not starting
    // with / (envoyproxy/envoy:source/common/http/conn_manager_impl.cc), `OPTIONS *` included
    ['*', 'error'],
    ['api', 'error'],
    ['/a b', 'error'],
  ])('path %s', (p, level) => {
    expect(pathProblem(p)?.level ?? null).toBe(level);
  });
});
