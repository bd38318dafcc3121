import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { ensureBuilt } from '../commands/cli-harness.js';
import { openTerminal, screenMatching as waitOnScreen, type Terminal } from '../helpers/terminal.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { KubeApiServer } from '../helpers/kube-api-server.js';

/** Drives the built binary in a real pseudo-terminal (test/helpers/terminal.ts). */

const ROOT = join(import.meta.dirname, '..', '..');
/** MESHDBG_E2E_BIN runs the same test against another build (e.g. an installed package). */
const BIN = process.env['MESHDBG_E2E_BIN'] ?? join(ROOT, 'dist', 'meshdbg.mjs');

let term: Terminal | null = null;

/** The pid of the meshdbg process started with MESHDBG_E2E_MARK=mark (found through /proc). */
function pidWithMark(mark: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (env.includes(`MESHDBG_E2E_MARK=${mark}`) && cmd.includes('meshdbg.mjs')) return Number(entry);
    } catch {
      // a process that ended meanwhile, or one we may not read
    }
  }
  throw new Error(`no process with MESHDBG_E2E_MARK=${mark}`);
}

// built under the harness's lock: a second, concurrent build would remove dist/chunks under the CLI tests
beforeAll(() => {
  if (process.env['MESHDBG_E2E_BIN'] === undefined) ensureBuilt();
}, 120_000);

afterAll(() => term?.close());

function startDemo(env = '', columns?: number): Terminal {
  term?.close();
  const command = `${env}${process.execPath} ${BIN} demo poc-mesh`;
  term = openTerminal(command, ROOT, columns);
  return term;
}

async function screenMatching(pattern: RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
  if (!term) throw new Error('no terminal open');
  return waitOnScreen(term, pattern, timeoutMs);
}

describe('meshdbg demo poc-mesh in a real terminal', () => {
  it('filters to payments, opens :denials, shows a poc-mesh policy rule, and quits cleanly', async () => {
    term = startDemo();
    await screenMatching(/meshdbg\s+demo poc-mesh/);
    await screenMatching(/poc-mesh\s+payments/);
    term.text('/');
    term.text('payments');
    term.keys('enter');
    const filtered = await screenMatching(/<pods>\s+\/payments/);
    expect(filtered).not.toMatch(/poc-mesh\s+frontend/);
    term.text(':');
    term.text('denials');
    term.keys('enter');
    // the payments row names the poc-mesh DENY policy and its rule index
    const denials = await screenMatching(
      /poc-mesh\/payments-\S+\s+poc-mesh\/backend-\S+\s+.*backend-deny-payments-example\[0\]/,
      // one request in 12 is payments -> backend (three denial kinds share a quarter): 30 s of
      // demo traffic (72 requests) miss it with probability 0.3%
      30_000,
    );
    expect(denials).toMatch(/<pods>\s+<denials>/);
    term.text('q');
    const after = await screenMatching(/EXIT_CODE=0/);
    // the TUI ran on the alternate screen: quitting leaves the shell's screen as it was
    expect(after).not.toMatch(/<pods>|POLICY\[RULE\]/);
    // the terminal is back in canonical (cooked) mode: raw mode was switched off
    await screenMatching(/TTY_MODE=icanon/);
  }, 60_000);

  it('keeps the selection on the same denial while the live feed reorders the list, and freezes on p', async () => {
    // NO_COLOR: the selected row is marked with a `>` gutter instead of inverse video; 200 columns:
    // whole pod names and the request fit, so a row's text tells one denial from another
    term = startDemo('NO_COLOR=1 ', 200);
    await screenMatching(/poc-mesh\s+payments/);
    term.text(':');
    term.text('denials');
    term.keys('enter');
    const rows = (screen: string): string[] => screen.split('\n').filter((l) => /^[> ] [+ ] \d\d:\d\d:\d\d /.test(l));
    // a row's identity: everything after TIME and N (source, destination, request, policy)
    const identity = (row: string | undefined): string | undefined =>
      row === undefined ? undefined : /^[> ] [+ ] \d\d:\d\d:\d\d\s+\d+\s+(.*\S)\s*$/.exec(row)?.[1];
    const selected = (screen: string): string | undefined => identity(rows(screen).find((l) => l.startsWith('>')));
    await waitFor(() => expect(rows(term?.screen() ?? '').length).toBeGreaterThanOrEqual(3), 20_000, 100);
    // freeze, so the row picked is read from a screen that holds still
    term.text('p');
    const frozen = await screenMatching(/FROZEN \(\d+ updates held\)/);
    // the highlight followed its row until the freeze: move one down from wherever it is now
    const at = rows(frozen).findIndex((l) => l.startsWith('>'));
    const next = at + 1 < rows(frozen).length ? at + 1 : at - 1;
    term.keys(next > at ? 'down' : 'up');
    const before = await screenMatching((screen) => rows(screen).findIndex((l) => l.startsWith('>')) === next);
    const picked = selected(before);
    expect(picked).toBeDefined();
    // thaw: the held rows arrive (new denials on top, repeats move up) around the selection
    term.text('p');
    await screenMatching((screen) => !/FROZEN/.test(screen));
    for (let change = 0; change < 2; change++) {
      const shown = rows(term.screen()).join('\n');
      const moved = await waitFor(
        () => {
          const screen = term?.screen() ?? '';
          if (rows(screen).join('\n') === shown) throw new Error('the list has not changed yet');
          return screen;
        },
        30_000,
        100,
      );
      expect(selected(moved), `before:\n${before}\nafter:\n${moved}`).toBe(picked);
    }
    term.keys('enter');
    // the denial opened is the one that was selected
    const [source = '', destination = ''] = (picked ?? '').split(/\s+/);
    const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    await screenMatching(new RegExp(`denial x\\d+[\\s\\S]*${escape(source)} -> ${escape(destination)}`));
    term.text('q');
    await screenMatching(/EXIT_CODE=0/);
  }, 90_000);

  it('leaves the terminal in cooked mode after Ctrl-C', async () => {
    term = startDemo();
    await screenMatching(/poc-mesh\s+payments/);
    term.keys('ctrl+c');
    await screenMatching(/EXIT_CODE=0/);
    await screenMatching(/TTY_MODE=icanon/);
  }, 60_000);

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)(
    'exits %s with %i (128 + signal) and leaves the terminal in cooked mode',
    async (signal, code) => {
      term?.close();
      const mark = `meshdbg-e2e-${Math.random().toString(36).slice(2)}`;
      const command = `env MESHDBG_E2E_MARK=${mark} ${process.execPath} ${BIN} demo poc-mesh`;
      term = openTerminal(command, ROOT);
      await screenMatching(/poc-mesh\s+payments/);
      process.kill(pidWithMark(mark), signal);
      await screenMatching(new RegExp(`EXIT_CODE=${code}`));
      await screenMatching(/TTY_MODE=icanon/);
    },
    60_000,
  );

  it('meshdbg alone without a reachable cluster says so in one line and suggests the demo', async () => {
    term?.close();
    const command = `env KUBECONFIG=/nonexistent/kubeconfig HOME=/nonexistent ${process.execPath} ${BIN}`;
    term = openTerminal(command, ROOT);
    const screen = await screenMatching(/EXIT_CODE=3/);
    const unwrapped = screen.replace(/\n(?!EXIT_CODE|TTY_MODE)/g, '');
    expect(unwrapped).toMatch(
      /meshdbg: no cluster reachable \(no kubeconfig found.*\); try `meshdbg demo`.*\nEXIT_CODE=3/,
    );
    await screenMatching(/TTY_MODE=icanon/);
  }, 60_000);

  it('restores the terminal when the TUI crashes (exit 70, one line)', async () => {
    term?.close();
    const command = `env MESHDBG_TEST_CRASH=tui ${process.execPath} ${BIN} demo poc-mesh`;
    term = openTerminal(command, ROOT);
    const screen = await screenMatching(/EXIT_CODE=70/);
    expect(screen).toContain('meshdbg: internal error: crash requested by MESHDBG_TEST_CRASH=tui');
    await screenMatching(/TTY_MODE=icanon/);
  }, 60_000);

  it('meshdbg on a cluster shows its pods, follows changes, and correlates the followed proxy logs', async () => {
    term?.close();
    const api = await KubeApiServer.start();
    try {
      api.put({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } },
      });
      const pod = (name: string): Record<string, unknown> => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'shop', labels: { app: 'web' } },
        spec: {
          serviceAccountName: 'web',
          containers: [{ name: 'web', ports: [{ containerPort: 8080 }] }, { name: 'istio-proxy' }],
        },
        status: { phase: 'Running', podIP: '10.1.0.5', conditions: [{ type: 'Ready', status: 'True' }] },
      });
      api.put(pod('web-first'));
      const rbac =
        'debug\tenvoy rbac external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:224\tenforced denied, matched policy ns[shop]-policy[deny-all]-rule[0]\tthread=26';
      api.logs.set('shop', 'web-first', 'istio-proxy', [
        { time: '2026-11-22T12:00:00.000000000Z', text: `2026-11-22T12:00:00.000000Z\t${rbac}` },
      ]);
      const dir = mkdtempSync(join(tmpdir(), 'meshdbg-e2e-'));
      writeFileSync(join(dir, 'kubeconfig'), api.kubeconfig('shop'));
      const command = `env KUBECONFIG=${join(dir, 'kubeconfig')} ${process.execPath} ${BIN}`;
      term = openTerminal(command, ROOT);
      await screenMatching(/meshdbg\s+context \S+/);
      await screenMatching(/shop\s+web-first/);
      api.logs.set('shop', 'web-second', 'istio-proxy', [
        {
          time: '2026-11-22T12:00:01.000000000Z',
          text: `2026-11-22T12:00:01.000000Z\t${rbac.replace('deny-all', 'deny-second')}`,
        },
      ]);
      api.put(pod('web-second'));
      await screenMatching(/shop\s+web-second/);
      // the pod detail also asks the running proxy (no istioctl here: Envoy admin through a port-forward)
      term.keys('enter');
      await screenMatching(/Live, from the proxy \(Envoy admin\)/);
      term.keys('esc');
      // the followed istio-proxy log of web-first yields a correlated denial
      term.text(':');
      term.text('denials');
      term.keys('enter');
      await screenMatching(/shop\/web-first\s+.*deny-all\[0\]/);
      // web-second appeared after start: it is followed too
      await screenMatching(/shop\/web-second\s+.*deny-second\[0\]/);
      term.text('q');
      await screenMatching(/EXIT_CODE=0/);
    } finally {
      await api.close();
    }
  }, 60_000);
});

describe('issue 16 scenarios in a real terminal', () => {
  it('denial -> x explain (prefilled) -> f fix, written with :w', async () => {
    term = startDemo('NO_COLOR=1 ', 200);
    await screenMatching(/poc-mesh\s+payments/);
    term.text(':');
    term.text('denials');
    term.keys('enter');
    // frontend POST /api/orders: no ALLOW rule matches (examples/poc-mesh/expect.yaml frontend-post-orders)
    await screenMatching(/poc-mesh\/frontend-\S+\s+poc-mesh\/backend-\S+\s+POST \/api\/orders/, 30_000);
    term.text('/');
    term.text('POST');
    term.keys('enter');
    await screenMatching((s) => !/GET \/api\/orders :8080|TCP :8080/.test(s) && /^> .*POST \/api\/orders/m.test(s));
    term.text('x');
    const explained = await screenMatching(/<explain poc-mesh\/frontend-[\s\S]*decided by authz-allow/);
    expect(explained).toMatch(/method\s+POST/);
    expect(explained).toMatch(/path\s+\/api\/orders/);
    term.text('f');
    await screenMatching(/<fix>[\s\S]*kind: AuthorizationPolicy[\s\S]*action: ALLOW/);
    const out = join(mkdtempSync(join(tmpdir(), 'meshdbg-e2e-fix-')), 'fix.yaml');
    term.text(':');
    term.text(`w ${out}`);
    term.keys('enter');
    // the file exists as soon as :w opens it, before its text is written: wait for the text
    const written = await waitFor(
      () => {
        const text = existsSync(out) ? readFileSync(out, 'utf8') : '';
        expect(text).toMatch(/kind: AuthorizationPolicy/);
        return text;
      },
      10_000,
      50,
    );
    expect(written).toMatch(/namespace: poc-mesh/);
    term.text('q');
    await screenMatching(/EXIT_CODE=0/);
  }, 90_000);

  it('y shows the YAML of the selected pod, :ns lists namespaces to pick, q in help closes help', async () => {
    term = startDemo('NO_COLOR=1 ');
    await screenMatching(/poc-mesh\s+payments/);
    const pods = await screenMatching(/^>\s+\S+\s+\S+/m);
    const [, namespace = '', name = ''] = /^>\s+(\S+)\s+(\S+)/m.exec(pods) ?? [];
    term.text('y');
    // the YAML of the pod under the cursor
    await screenMatching(new RegExp(`# Pod ${namespace}/${name} as meshdbg modelled it`));
    term.keys('esc');
    await screenMatching(/NAMESPACE/);
    term.text(':');
    term.text('ns');
    term.keys('enter');
    const namespaces = await screenMatching(/<namespaces>[\s\S]*NAME\s+PODS/);
    expect(namespaces).toMatch(/poc-mesh\s+\d+\s+\d+/);
    term.text('?');
    await screenMatching(/<help>/);
    // q in help closes help: the view behind is back and meshdbg still runs
    term.text('q');
    await screenMatching((s) => !/<help>/.test(s) && /<namespaces>/.test(s));
    await screenMatching(/^>\s+poc-mesh/m);
    term.keys('enter');
    await screenMatching(/ns:poc-mesh/);
    term.text('q');
    await screenMatching(/EXIT_CODE=0/);
  }, 60_000);

  it('runs on the alternate screen: quitting leaves the shell screen as it was', async () => {
    term?.close();
    term = openTerminal(`sh -c 'echo SHELL-LINE-BEFORE-MESHDBG; exec ${process.execPath} ${BIN} demo poc-mesh'`, ROOT);
    await screenMatching(/poc-mesh\s+payments/);
    const emulated = term.emulator === 'tmux';
    // while it runs, the shell's line is hidden behind the TUI (only tmux keeps a screen to look at)
    if (emulated) expect(term.screen()).not.toContain('SHELL-LINE-BEFORE-MESHDBG');
    term.text('q');
    const after = await screenMatching(/EXIT_CODE=0/);
    if (emulated) {
      // the shell's screen is back as it was
      expect(after).toMatch(/SHELL-LINE-BEFORE-MESHDBG\s*\nEXIT_CODE=0/);
      expect(after).not.toMatch(/meshdbg\s+demo poc-mesh|<pods>|NAMESPACE/);
    } else {
      // script keeps no screen: the last frame is followed by leaving the alternate screen (xterm ?1049l)
      const raw = term.rawOutput() ?? '';
      const left = raw.lastIndexOf('\u001b[?1049l');
      expect(left).toBeGreaterThan(raw.lastIndexOf('<pods>'));
      expect(raw.slice(left)).toContain('EXIT_CODE=0');
    }
  }, 60_000);
});
