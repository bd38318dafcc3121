import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { hintText } from '../../../src/ui/components/footer.js';
import { initialState, type AppState } from '../../../src/ui/state/app-state.js';
import { visiblePods } from '../../../src/ui/state/select.js';
import { footerKeys, footerLead } from '../../../src/ui/views/view-keys.js';
import { T0 } from '../fixtures/denials.js';
import { exampleSnapshot } from '../fixtures/snapshots.js';
import { uiData } from '../fixtures/ui-data.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});

describe('footer hints', () => {
  it('start with help, then the view keys, and mark writes', () => {
    const data = uiData(snapshot);
    const cursor = visiblePods(data, initialState(T0)).findIndex((p) => p.sidecar);
    const hints = hintText(footerKeys({ ...initialState(T0), stack: [{ view: 'pods', cursor }] }, data));
    expect(hints.startsWith('? help  / filter  <enter> detail')).toBe(true);
    expect(hints).toContain('L log level [write]');
    expect(hints.indexOf('q quit')).toBeGreaterThan(hints.indexOf('x explain'));
  });

  it('leave writes out in read-only mode', () => {
    expect(hintText(footerKeys(initialState(T0), uiData(snapshot, { readonly: true })))).not.toContain('[write]');
  });

  it('leave out keys that cannot act: 0 while all namespaces are shown, Esc at the top', () => {
    const hints = hintText(footerKeys(initialState(T0), uiData(snapshot)));
    expect(hints).not.toContain('0 all ns');
    expect(hints).not.toContain('<esc> back');
    expect(hintText(footerKeys(initialState(T0, 'poc-mesh'), uiData(snapshot)))).toContain('0 all ns');
  });
});

describe('footer while the explain form takes text', () => {
  it('names the field being typed and lists only the form keys (q, j, ? are typed, not keys)', () => {
    const data = uiData(snapshot);
    const form = { peerQuery: '', peer: null, port: '', method: '', path: '', jwt: '' };
    const state = {
      ...initialState(T0),
      stack: [
        { view: 'pods', cursor: 0 },
        { view: 'explain', cursor: 0, source: 'poc-mesh/payments', step: 'peer', form, result: null },
      ] as const,
    } satisfies AppState;
    const hints = hintText(footerKeys(state, data), footerLead(state));
    expect(hints.startsWith('typing the destination  <enter> next field')).toBe(true);
    for (const typed of ['q quit', '? help', ': cmd', 'p freeze']) expect(hints).not.toContain(typed);
    const onPort = {
      ...state,
      stack: [state.stack[0], { ...state.stack[1], step: 'port' }] as const,
    } satisfies AppState;
    expect(hintText(footerKeys(onPort, data), footerLead(onPort))).toMatch(/^typing the port .*<esc> back$/);
  });
});
