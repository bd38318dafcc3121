/**
 * Issue 17: objects the live API server admitted (it validated them) are in force, so an error
 * meshdbg's lint still finds in one (a rule only a webhook or an aggregated API server checks)
 * is a warning, as `meshdbg lint` and `explain` on a cluster already say
 * (test/sources/kube/admitted-objects.test.ts). The TUI's `:lint` on the same cluster says the
 * same. Driven in a real pseudo-terminal against the local API server.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal, screenMatching, type Terminal } from '../helpers/terminal.js';
import type { KubeApiServer } from '../helpers/kube-api-server.js';
import { ensureBuilt } from '../commands/cli-harness.js';
import { ALL_KINDS, pocCluster } from '../sources/kube/support/poc-cluster.js';
import { writeKubeconfig } from '../sources/kube/support/fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'meshdbg.mjs');

let term: Terminal | null = null;
let api: KubeApiServer | null = null;
beforeAll(() => ensureBuilt(), 120_000);
afterEach(async () => {
  term?.close();
  await api?.close();
  term = api = null;
});

describe(':lint on a live cluster', () => {
  it('shows an error lint finds in an admitted object as a warning', async () => {
    // the Calico API server is absent: the crd.projectcalico.org/v1 object was written past it
    api = await pocCluster(ALL_KINDS.filter((k) => k.group !== 'projectcalico.org'));
    api.put({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'bad-selector', namespace: 'poc-mesh' },
      spec: { selector: 'app == ', types: ['Ingress'], ingress: [{ action: 'Allow' }] },
    });
    const t = openTerminal(
      `env KUBECONFIG=${writeKubeconfig(api, 'poc-mesh')} NO_COLOR=1 ${process.execPath} ${BIN}`,
      ROOT,
      200,
    );
    term = t;
    await screenMatching(t, /poc-mesh\s+backend/, 30_000);
    t.text(':');
    t.text('lint');
    t.keys('enter');
    const screen = await screenMatching(t, /invalid-selector/, 10_000);
    const row = screen.split('\n').find((l) => l.includes('invalid-selector')) ?? '';
    expect(row).toMatch(/^\W*warning\s+invalid-selector\s+NetworkPolicy poc-mesh\/bad-selector/);
    expect(screen).toMatch(/the cluster admitted it/);
    expect(screen).not.toMatch(/^\W*error\s+invalid-selector/m);
    t.text('q');
    await screenMatching(t, /EXIT_CODE=0/);
  }, 90_000);
});
