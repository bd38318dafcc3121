import { beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshotFrom } from '../../src/commands/load-snapshot.js';
import { lintFindings } from '../../src/commands/lint.js';
import type { Finding } from '../../src/model/findings.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { uiData } from './fixtures/ui-data.js';
import { renderApp, unmountAppsAfterEach } from './fixtures/app.js';

let snapshot: Snapshot;
let findings: Finding[];
beforeAll(async () => {
  const loaded = await loadSnapshotFrom(['examples/legacy-rbac'], null);
  snapshot = loaded.snapshot;
  findings = lintFindings(loaded.snapshot, loaded.findings);
});
unmountAppsAfterEach();

describe(':lint', () => {
  it('lists what meshdbg lint reports, worst first, and the header counts it', async () => {
    const app = renderApp(uiData(snapshot, { findings }), { columns: 140, rows: 30 });
    const counted = findings.filter((f) => f.severity !== 'info').length;
    await app.waitForText(`lint:${counted}`);
    app.press('command');
    app.type('lint\r');
    const frame = await app.waitForText('SEVERITY');
    expect(frame).toMatch(/error\s+nonexistent-istio-kind\s+ServiceRole/);
    expect(frame).toMatch(/warning\s+legacy-servicerole\s+ServiceRole\b/);
    const rows = frame.split('\n').filter((l) => /^[> ] (error|warning|info)\s/.test(l));
    expect(rows[0]).toMatch(/error/);
    expect(rows.at(-1)).not.toMatch(/^[> ] error/);
    // the whole message of the selected finding, with its file and line, under the table
    expect(frame).toContain('examples/legacy-rbac/manifests/20-post-servicerole.yaml:5');
  });

  it('filters findings by text and sorts by code with C', async () => {
    const app = renderApp(uiData(snapshot, { findings }), { columns: 140, rows: 30 });
    await app.waitForText('NAMESPACE');
    app.press('command');
    app.type('lint\r');
    await app.waitForText('SEVERITY');
    app.type('C');
    const sorted = await app.waitForText('CODE↑');
    const codes = sorted
      .split('\n')
      .map((l) => /^[> ] (?:error|warning|info|refused)\s+(\S+)/.exec(l)?.[1])
      .filter((c) => c !== undefined);
    expect(codes).toEqual([...codes].sort());
    app.press('filter', 'lint');
    app.type('ClusterRbacConfig\r');
    await app.waitForNoText('nonexistent-istio-kind');
    expect(app.frame()).toContain('legacy-servicerole');
  });
});
