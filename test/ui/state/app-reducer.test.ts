import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { reduceApp, type AppAction } from '../../../src/ui/state/app-reducer.js';
import { initialState, type AppState, type UiData } from '../../../src/ui/state/app-state.js';
import { top } from '../../../src/ui/state/navigation.js';
import { visiblePods, visiblePolicies } from '../../../src/ui/state/select.js';
import { paymentsDenial, T0 } from '../fixtures/denials.js';
import { exampleSnapshot } from '../fixtures/snapshots.js';
import { uiData } from '../fixtures/ui-data.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});

function run(data: UiData, actions: readonly AppAction[], state = initialState(T0)): AppState {
  const reduce = reduceApp(data);
  return actions.reduce(reduce, state);
}

const keys = (...k: string[]): AppAction => ({ type: 'keys', keys: k, now: T0 });

describe('app reducer', () => {
  it('takes every character of a pasted filter, Enter included', () => {
    const data = uiData(snapshot);
    const s = run(data, [keys('/', ...'payments', 'enter')]);
    expect(s.mode.kind).toBe('normal');
    expect(s.filters.pods).toBe('payments');
    expect(visiblePods(data, s)[0]?.name).toBe('payments');
  });

  it('Esc in the filter restores the previous filter', () => {
    const s = run(uiData(snapshot), [keys('/', 'b', 'enter', '/', 'x', 'esc')]);
    expect(s.filters.pods).toBe('b');
  });

  it('Esc on the root view clears the filter before anything else', () => {
    const s = run(uiData(snapshot), [keys('/', 'p', 'a', 'y', 'enter', 'esc')]);
    expect(s.filters.pods).toBe('');
  });

  it('Enter pushes the pod detail and Esc pops it', () => {
    const data = uiData(snapshot);
    const opened = run(data, [keys('j', 'enter')]);
    expect(top(opened.stack)).toMatchObject({ view: 'pod', pod: visiblePods(data, initialState(T0))[1]?.key });
    expect(top(run(data, [keys('esc')], opened).stack).view).toBe('pods');
  });

  it('clamps the cursor to the rows', () => {
    const data = uiData(snapshot);
    const s = run(data, [keys(...Array<string>(50).fill('j'))]);
    expect(top(s.stack).cursor).toBe(data.rows.length - 1);
    expect(top(run(data, [keys('k', 'k', 'g')], s).stack).cursor).toBe(0);
  });

  it(':ns filters to a namespace and rejects unknown ones with the known list', () => {
    const data = uiData(snapshot);
    const s = run(data, [keys(':', ...'ns poc-mesh', 'enter')]);
    expect(s.namespace).toBe('poc-mesh');
    expect(visiblePods(data, s).every((r) => r.namespace === 'poc-mesh')).toBe(true);
    const bad = run(data, [keys(':', ...'ns nope', 'enter')]);
    expect(bad.flash?.level).toBe('error');
    expect(bad.flash?.text).toContain('poc-mesh');
  });

  it(':denials and :policies jump to the lists; unknown commands flash an error', () => {
    const data = uiData(snapshot);
    expect(top(run(data, [keys(':', ...'denials', 'enter')]).stack).view).toBe('denials');
    expect(top(run(data, [keys(':', ...'policies', 'enter')]).stack).view).toBe('policies');
    expect(run(data, [keys(':', ...'bogus', 'enter')]).flash?.text).toContain('unknown command');
  });

  it("shows the correlator's count: a repeat replaces its denial, never adds to it", () => {
    const data = uiData(snapshot);
    const other = { ...paymentsDenial(T0 + 1), id: 'frontend', source: 'poc-mesh/frontend' };
    const s = run(data, [
      { type: 'feed', events: [paymentsDenial(T0, 1), other], now: T0 + 1 },
      { type: 'feed', events: [paymentsDenial(T0 + 2, 3)], now: T0 + 2 },
    ]);
    expect(s.denials.map((d) => [d.source, d.count])).toEqual([
      ['poc-mesh/payments', 3],
      ['poc-mesh/frontend', 1],
    ]);
  });

  it('orders denials by their log time, not by arrival', () => {
    const data = uiData(snapshot);
    const late = { ...paymentsDenial(T0 + 5000), id: 'late', source: 'poc-mesh/frontend' };
    const early = { ...paymentsDenial(T0), id: 'early', source: 'poc-mesh/debug-no-sidecar' };
    const s = run(data, [{ type: 'feed', events: [late, early], now: T0 + 5000 }]);
    expect(s.denials.map((d) => d.source)).toEqual(['poc-mesh/frontend', 'poc-mesh/debug-no-sidecar']);
  });

  it('Enter on a denial opens it with the deciding rule highlighted', () => {
    const data = uiData(snapshot);
    const s = run(data, [
      { type: 'feed', events: [paymentsDenial()], now: T0 },
      keys(':', ...'denials', 'enter', 'enter'),
    ]);
    expect(top(s.stack).view).toBe('denial');
  });

  it('sort keys order the pods', () => {
    const data = uiData(snapshot);
    const byName = run(data, [keys('N')]);
    const names = visiblePods(data, byName).map((r) => r.name);
    expect(names).toEqual([...names].sort());
    const reversed = visiblePods(data, run(data, [keys('R')], byName)).map((r) => r.name);
    expect(reversed).toEqual([...names].reverse());
  });

  it('quit queues the quit effect and ignores keys after it', () => {
    const s = run(uiData(snapshot), [keys('q', 'j')]);
    expect(s.effects).toEqual([{ kind: 'quit' }]);
    expect(top(s.stack).cursor).toBe(0);
  });
});

describe('k9s and kubectl habits', () => {
  it(':netpol, :ap, :pa and :ra open the policies view with that one kind', () => {
    const data = uiData(snapshot);
    for (const [alias, kind] of [
      ['netpol', 'NetworkPolicy'],
      ['ap', 'AuthorizationPolicy'],
      ['pa', 'PeerAuthentication'],
      ['ra', 'RequestAuthentication'],
    ] as const) {
      const s = run(data, [keys(':', ...alias, 'enter')]);
      expect(top(s.stack).view).toBe('policies');
      const shown = visiblePolicies(data, s);
      expect(shown.every((p) => p.kind === kind)).toBe(true);
      expect(shown.length).toBe(data.policies.filter((p) => p.kind === kind).length);
    }
    expect(visiblePolicies(data, run(data, [keys(':', ...'ap', 'enter')])).length).toBeGreaterThan(0);
  });

  it('0 shows all namespaces again; pressed with all shown it says so', () => {
    const data = uiData(snapshot);
    const one = run(data, [keys(':', ...'ns poc-mesh', 'enter')]);
    expect(one.namespace).toBe('poc-mesh');
    expect(run(data, [keys('0')], one).namespace).toBeNull();
    expect(run(data, [keys('0')]).flash?.text).toBe('already showing all namespaces');
  });
});
