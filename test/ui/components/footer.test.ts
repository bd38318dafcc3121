import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { hintText } from '../../../src/ui/components/footer.js';
import { initialState } from '../../../src/ui/state/app-state.js';
import { visiblePods } from '../../../src/ui/state/select.js';
import { footerKeys } from '../../../src/ui/views/view-keys.js';
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
