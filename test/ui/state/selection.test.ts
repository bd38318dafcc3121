/** Selection follows the object (issue 16 blocker): live denials, pods re-sorted by denials, logs, freeze. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/model/snapshot.js';
import type { DenialEvent, FeedEvent } from '../../../src/ui/feeds/log-feed.js';
import { reduceApp, type AppAction } from '../../../src/ui/state/app-reducer.js';
import { initialState, LOG_CAPACITY, type AppState, type UiData } from '../../../src/ui/state/app-state.js';
import { top } from '../../../src/ui/state/navigation.js';
import { visibleDenials, visibleLogLines, visiblePods } from '../../../src/ui/state/select.js';
import { selectedIndex } from '../../../src/ui/views/view-content.js';
import { currentPod } from '../../../src/ui/state/command-reducer.js';
import { paymentsDenial, T0 } from '../fixtures/denials.js';
import { exampleSnapshot } from '../fixtures/snapshots.js';
import { uiData } from '../fixtures/ui-data.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});

function run(data: UiData, actions: readonly AppAction[], state = initialState(T0)): AppState {
  return actions.reduce(reduceApp(data), state);
}

const keys = (...k: string[]): AppAction => ({ type: 'keys', keys: k, now: T0 });
const feed = (events: FeedEvent[], now = T0): AppAction => ({ type: 'feed', events, now });
const denial = (id: string, source: string, time: number, count = 1): DenialEvent => ({
  ...paymentsDenial(time, count),
  id,
  source,
});

function selectedDenial(data: UiData, s: AppState): string | undefined {
  return visibleDenials(s)[selectedIndex(data, s, top(s.stack))]?.id;
}

describe('selection follows the object', () => {
  it('denials: the row under the cursor stays selected when newer denials arrive above it', () => {
    const data = uiData(snapshot);
    const s = run(data, [
      feed([denial('a', 'poc-mesh/frontend', T0), denial('b', 'poc-mesh/payments', T0 + 1)]),
      keys(':', ...'denials', 'enter', 'j'),
    ]);
    expect(selectedDenial(data, s)).toBe('a');
    const after = run(data, [feed([denial('c', 'poc-mesh/debug-no-sidecar', T0 + 2)], T0 + 2)], s);
    expect(visibleDenials(after).map((d) => d.id)).toEqual(['c', 'b', 'a']);
    expect(selectedDenial(data, after)).toBe('a');
    const opened = run(data, [keys('enter')], after);
    expect(top(opened.stack)).toMatchObject({ view: 'denial', denial: 'a' });
  });

  it('denials: the first row stays selected even if the cursor never moved', () => {
    const data = uiData(snapshot);
    const s = run(data, [feed([denial('a', 'poc-mesh/frontend', T0)]), keys(':', ...'denials', 'enter')]);
    const after = run(data, [feed([denial('b', 'poc-mesh/payments', T0 + 1)], T0 + 1), keys('enter')], s);
    expect(top(after.stack)).toMatchObject({ view: 'denial', denial: 'a' });
  });

  it('denials: a repeat that moves its row to the top keeps it selected', () => {
    const data = uiData(snapshot);
    const s = run(data, [
      feed([denial('a', 'poc-mesh/frontend', T0), denial('b', 'poc-mesh/payments', T0 + 1)]),
      keys(':', ...'denials', 'enter', 'j'),
      feed([denial('a', 'poc-mesh/frontend', T0 + 5, 2)], T0 + 5),
    ]);
    expect(visibleDenials(s).map((d) => d.id)).toEqual(['a', 'b']);
    expect(selectedDenial(data, s)).toBe('a');
  });

  it('pods sorted by denials: the selected pod stays selected when counts re-sort the list', () => {
    const data = uiData(snapshot);
    const s = run(data, [keys('D', 'j', 'j')]);
    const pod = currentPod(s, data)?.key;
    expect(pod).toBeDefined();
    const others = visiblePods(data, s)
      .map((r) => r.key)
      .filter((k) => k !== pod);
    const burst = others.map((k, i) => ({ ...denial(`d${i}`, 'poc-mesh/frontend', T0 + i), destination: k }));
    const after = run(data, [feed(burst, T0 + 10)], s);
    expect(visiblePods(data, after).map((r) => r.key)).not.toEqual(visiblePods(data, s).map((r) => r.key));
    expect(currentPod(after, data)?.key).toBe(pod);
    expect(top(run(data, [keys('enter')], after).stack)).toMatchObject({ view: 'pod', pod });
  });

  it('changing the sort keeps the selected pod', () => {
    const data = uiData(snapshot);
    const s = run(data, [keys('j', 'j', 'j')]);
    const pod = currentPod(s, data)?.key;
    expect(currentPod(run(data, [keys('N')], s), data)?.key).toBe(pod);
    expect(currentPod(run(data, [keys('N', 'R')], s), data)?.key).toBe(pod);
  });

  it('logs: the selected line stays selected while old lines leave the bounded buffer', () => {
    const data = uiData(snapshot);
    const index = visiblePods(data, initialState(T0)).findIndex((r) => r.sidecar);
    const pod = visiblePods(data, initialState(T0))[index]?.key ?? '';
    const lines = (from: number, n: number): FeedEvent[] =>
      Array.from({ length: n }, (_, i) => ({
        type: 'log',
        time: T0,
        pod,
        container: 'istio-proxy',
        text: `line ${from + i}`,
      }));
    const s = run(data, [feed(lines(0, 100)), keys(...Array<string>(index).fill('j'), 'l', 'k', 'k')]);
    const entry = top(s.stack);
    if (entry.view !== 'logs') throw new Error('expected the logs view');
    const text = (st: AppState): string | undefined => {
      const e = top(st.stack);
      return e.view === 'logs' ? visibleLogLines(st, e)[selectedIndex(data, st, e)]?.text : undefined;
    };
    expect(text(s)).toBe('line 97');
    const after = run(data, [feed(lines(100, LOG_CAPACITY - 50))], s);
    expect(text(after)).toBe('line 97');
  });
});

describe('freeze', () => {
  it('holds live updates while frozen and applies them, in order, when thawed', () => {
    const data = uiData(snapshot);
    const s = run(data, [feed([denial('a', 'poc-mesh/frontend', T0)]), keys('p')]);
    expect(s.frozen).not.toBeNull();
    const held = run(
      data,
      [feed([denial('b', 'poc-mesh/payments', T0 + 1)]), feed([denial('b', 'poc-mesh/payments', T0 + 2, 4)])],
      s,
    );
    expect(held.denials.map((d) => d.id)).toEqual(['a']);
    expect(held.frozen?.count).toBe(2);
    const thawed = run(data, [keys('p')], held);
    expect(thawed.frozen).toBeNull();
    expect(thawed.denials.map((d) => [d.id, d.count])).toEqual([
      ['b', 4],
      ['a', 1],
    ]);
  });
});
