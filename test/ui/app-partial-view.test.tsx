/**
 * Issue 17: the TUI under `--from` a `meshdbg snapshot` file whose status.gaps names what the
 * live view could not read says so in its header, and its explanations follow the same
 * partial-view rule as `explain` and `check` (a verdict a gap could change is conditional).
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshotFrom } from '../../src/commands/load-snapshot.js';
import type { LoadedSnapshot } from '../../src/commands/load-snapshot.js';
import { livePartialView, manifestsLabel, withPartialView } from '../../src/commands/tui-partial-view.js';
import { REAL_ENGINE } from '../../src/ui/data/real-engine.js';
import { parseQuery } from '../../src/parsers/explain-query.js';
import { uiData } from './fixtures/ui-data.js';
import { filterPods, renderApp, unmountAppsAfterEach } from './fixtures/app.js';

const GAP = '{kind: AuthorizationPolicy.security.istio.io, namespace: null, reason: "500 InternalError: injected"}';

async function loaded(gaps: boolean): Promise<{ dir: string; loaded: LoadedSnapshot }> {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-tui-gaps-'));
  cpSync('examples/poc-mesh/manifests', dir, { recursive: true });
  if (gaps)
    writeFileSync(
      join(dir, 'zz-status.yaml'),
      `apiVersion: v1\nkind: List\nitems: []\nstatus:\n  complete: false\n  gaps: [${GAP}]\n`,
    );
  return { dir, loaded: await loadSnapshotFrom([dir], null) };
}

let partial: { dir: string; loaded: LoadedSnapshot };
let complete: { dir: string; loaded: LoadedSnapshot };
beforeAll(async () => {
  [partial, complete] = await Promise.all([loaded(true), loaded(false)]);
});
unmountAppsAfterEach();

function app(from: { dir: string; loaded: LoadedSnapshot }): ReturnType<typeof renderApp> {
  return renderApp(
    uiData(from.loaded.snapshot, {
      engine: withPartialView(REAL_ENGINE, from.loaded.partialView),
      sourceLabel: manifestsLabel([from.dir], from.loaded.gaps),
    }),
    { rows: 200, columns: 260 },
  );
}

async function explainPaymentsToBackend(a: ReturnType<typeof renderApp>): Promise<string> {
  await filterPods(a, 'payments', 'frontend');
  a.press('explain-from-here');
  await a.waitForText('from poc-mesh/payments');
  a.type('backend\r80\rGET\r/api/orders\r\r');
  return a.waitForText('verdict:');
}

describe('TUI --from a snapshot with status.gaps', () => {
  it('names the gap in the header', async () => {
    const a = app(partial);
    await a.waitForText('(partial view: status.gaps names AuthorizationPolicy.security.istio.io)');
  });

  it('a complete snapshot has no partial-view mark', async () => {
    const a = app(complete);
    const frame = await a.waitForText('manifests:');
    expect(frame).not.toContain('partial view');
  });

  it('explains with the partial-view condition: conditional where the complete snapshot is confident', async () => {
    const confident = await explainPaymentsToBackend(app(complete));
    const verdict = /verdict: (\w+)/.exec(confident)?.[1];
    expect(['allowed', 'denied']).toContain(verdict);
    expect(confident).not.toContain('partial view:');
    const frame = await explainPaymentsToBackend(app(partial));
    expect(frame).toContain('verdict: conditional');
    expect(frame).toContain(
      'partial view: AuthorizationPolicy.security.istio.io in all namespaces is unreadable (500 InternalError)',
    );
  });
});

describe('manifestsLabel', () => {
  it('names two kinds and counts the rest', () => {
    const gap = (kind: string, namespace: string | null = null) => ({ kind, namespace, reason: '500' });
    expect(manifestsLabel(['a.yaml'], [])).toBe('manifests: a.yaml');
    expect(manifestsLabel(['a.yaml'], [gap('A'), gap('B', 'prod'), gap('C'), gap('A')])).toBe(
      'manifests: a.yaml (partial view: status.gaps names A, B in prod and 1 more)',
    );
  });
});

describe('livePartialView (the live TUI)', () => {
  it('makes an answer conditional for an admitted cluster-scoped object lint calls invalid, and names it', () => {
    const snapshot = complete.loaded.snapshot;
    const answer = REAL_ENGINE.explain(
      snapshot,
      parseQuery({
        src: 'poc-mesh/frontend',
        dst: 'poc-mesh/backend',
        port: 80,
        http: { method: 'GET', path: '/api/orders' },
      }),
    );
    if (!('verdict' in answer)) throw new Error(answer.message);
    const status = { stale: false, staleSince: null, partial: [], unreadable: [], namespaces: null, errors: [] };
    expect(livePartialView(answer, status, snapshot, 'istio-system').verdict).toBe(answer.verdict);
    const invalid = {
      severity: 'error' as const,
      code: 'invalid-selector' as const,
      message: 'bad selector',
      object: { kind: 'GlobalNetworkPolicy', namespace: null, name: 'gnp' },
      field: null,
      loc: null,
    };
    const out = livePartialView(
      answer,
      status,
      { ...snapshot, findings: [...snapshot.findings, invalid] },
      'istio-system',
    );
    expect(out.verdict).toBe('conditional');
    expect(out.conditions.at(-1)?.message).toMatch(/GlobalNetworkPolicy gnp is admitted by the cluster/);
  });
});
