import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintFindings } from '../../src/commands/lint.js';
import { loadDemo, type Demo } from '../../src/sources/demo/load-demo.js';
import { uiData } from './fixtures/ui-data.js';
import { renderApp, unmountAppsAfterEach } from './fixtures/app.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
let demo: Demo;
beforeAll(async () => {
  demo = await loadDemo(`${EXAMPLES}legacy-rbac`, 'legacy-rbac');
});
unmountAppsAfterEach();

// issue 16 item 5: `demo legacy-rbac` must not be silent about its ServiceRoles, which enforce nothing
describe('demo legacy-rbac: lint findings in the TUI', () => {
  it('counts them in the header and lists them, with file and line, under :lint', async () => {
    // as `meshdbg demo` hands them to the TUI (commands/tui.tsx runTui)
    const findings = lintFindings(demo.snapshot, demo.snapshot.findings);
    const app = renderApp(uiData(demo.snapshot, { findings, sourceLabel: 'demo legacy-rbac' }), {
      columns: 160,
      rows: 30,
    });
    const counted = findings.filter((f) => f.severity !== 'info').length;
    expect(counted).toBeGreaterThanOrEqual(5);
    await app.waitForText(`lint:${counted}`);
    app.press('command');
    app.type('lint\r');
    const frame = await app.waitForText('SEVERITY');
    expect(frame).toMatch(/error\s+nonexistent-istio-kind\s+ServiceRole/);
    expect(frame).toMatch(/warning\s+legacy-servicerole\s+ServiceRole\b/);
    expect(frame).toContain('legacy-rbac/manifests/20-post-servicerole.yaml:5');
  });
});
