import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { helpDoc } from '../../../src/ui/docs/help-doc.js';
import { initialState, type AppState } from '../../../src/ui/state/app-state.js';
import { actingSections, ownKeys } from '../../../src/ui/views/view-keys.js';
import { T0 } from '../fixtures/denials.js';
import { exampleSnapshot } from '../fixtures/snapshots.js';
import { uiData } from '../fixtures/ui-data.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});

const on = (view: 'lint' | 'pods', namespace: string | null = 'poc-mesh'): AppState => ({
  ...initialState(T0, namespace),
  stack: view === 'pods' ? [{ view: 'pods', cursor: 0 }] : [{ view: 'pods', cursor: 0 }, { view, cursor: 0 }],
});

describe('help document', () => {
  it('has a line for every key of the view that can act, and the global keys', () => {
    const text = helpDoc(actingSections(on('lint'), uiData(snapshot)))
      .map((l) => l.text)
      .join('\n');
    for (const k of ownKeys('lint', false)) expect(text).toContain(k.description);
    expect(text).toContain('Global keys');
  });

  it('leaves out a key that cannot act here (0 while all namespaces are shown)', () => {
    const text = helpDoc(actingSections(on('lint', null), uiData(snapshot)))
      .map((l) => l.text)
      .join('\n');
    expect(text).not.toContain('Show all namespaces');
  });

  it('leaves writes out in read-only mode', () => {
    const text = helpDoc(actingSections(on('pods'), uiData(snapshot, { readonly: true })))
      .map((l) => l.text)
      .join('\n');
    expect(text).not.toContain('[write]');
    expect(text).toContain('Fuzzy filter pods');
  });
});
