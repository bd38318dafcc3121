/**
 * The view registry keeps its promises for every view in it, so a new view is checked by
 * being registered: reachable from the root (a `:` alias or a key), every alias opening it,
 * every key shown in the footer and help acting when pressed, no key shown that cannot act.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { hintText } from '../../../src/ui/components/footer.js';
import { helpDoc, describeBinding } from '../../../src/ui/docs/help-doc.js';
import { reduceApp, type AppAction } from '../../../src/ui/state/app-reducer.js';
import { initialState, type AppState, type UiData } from '../../../src/ui/state/app-state.js';
import { top } from '../../../src/ui/state/navigation.js';
import { allViews, viewDescriptor, viewOfAlias } from '../../../src/ui/views/registry.js';
import { actingSections, footerKeys, keyCanAct, keySections, pressKey } from '../../../src/ui/views/view-keys.js';
import { paymentsDenial, T0 } from '../fixtures/denials.js';
import { exampleSnapshot } from '../fixtures/snapshots.js';
import { uiData } from '../fixtures/ui-data.js';

let snapshot: Snapshot;
let data: UiData;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
  data = uiData(snapshot);
});

const keys = (...k: string[]): AppAction => ({ type: 'keys', keys: k, now: T0 });

/** The root, in one namespace, with a denial in the feed (so denial views have something to open). */
function root(): AppState {
  const reduce = reduceApp(data);
  return reduce(initialState(T0, 'poc-mesh'), { type: 'feed', events: [paymentsDenial()], now: T0 });
}

function command(state: AppState, word: string): AppState {
  return reduceApp(data)(state, keys(':', ...word, 'enter'));
}

/** A view, or a view in its text-taking mode (the explain form): each is explored on its own. */
function modeOf(state: AppState): string {
  const entry = top(state.stack);
  return viewDescriptor(entry.view).textInput?.active(entry) ? `${entry.view}:form` : entry.view;
}

/** One state per view (and mode) reached from the root through `:` aliases and keys that can act, breadth first. */
function reachable(): Map<string, AppState> {
  const seen = new Map<string, AppState>([['pods', root()]]);
  const queue = [root()];
  const reduce = reduceApp(data);
  while (queue.length > 0) {
    const state = queue.shift() as AppState;
    const next = [
      ...allViews().flatMap((v) => v.aliases.map((a) => command(state, a.word))),
      ...actingSections(state, data).flatMap((s) => s.keys.map((k) => reduce(state, keys(k.keys[0] ?? '')))),
    ];
    for (const s of next) {
      if (s.quitting || s.mode.kind !== 'normal' || seen.has(modeOf(s))) continue;
      seen.set(modeOf(s), s);
      queue.push(s);
    }
  }
  return seen;
}

let reached: Map<string, AppState>;
beforeAll(() => {
  reached = reachable();
});

describe('view registry', () => {
  it('reaches every registered view (and its form) from the root', () => {
    for (const view of allViews()) {
      expect(reached.has(view.id), view.id).toBe(true);
      if (view.textInput) expect(reached.has(`${view.id}:form`), `${view.id} form`).toBe(true);
    }
  });

  it('resolves every alias to its view, each word once, and the alias opens it', () => {
    const words = new Set<string>();
    for (const view of allViews()) {
      for (const alias of view.aliases) {
        expect(words.has(alias.word), `:${alias.word} twice`).toBe(false);
        words.add(alias.word);
        expect(viewOfAlias(alias.word)?.view.id).toBe(view.id);
        expect(top(command(root(), alias.word).stack).view, `:${alias.word}`).toBe(view.id);
      }
    }
  });

  it('binds no key twice in a view, and lets a view shadow a shared key only on purpose', () => {
    const onPurpose = new Set(['help:q']);
    for (const [mode, state] of reached) {
      const view = { id: mode };
      const [own, ...shared] = keySections(top(state.stack), false);
      const mine = new Set<string>();
      for (const k of own?.keys ?? []) {
        for (const key of k.keys) {
          expect(mine.has(key), `${view.id}: ${key} twice`).toBe(false);
          mine.add(key);
          const hidden = shared.some((s) => s.keys.some((b) => b.keys.includes(key)));
          if (!onPurpose.has(`${view.id}:${key}`))
            expect(hidden, `${view.id}: ${key} shadows a shared key`).toBe(false);
        }
      }
    }
  });

  it('shows in footer and help exactly the keys that can act, and each acts when pressed', () => {
    for (const [mode, reachedState] of reached) {
      const view = { id: mode };
      for (const state of [reachedState, ...variants(reachedState)]) {
        const help = helpDoc(actingSections(state, data))
          .map((l) => l.text)
          .join('\n');
        const hints = hintText(footerKeys(state, data));
        for (const binding of keySections(top(state.stack), false).flatMap((s) => s.keys)) {
          const where = `${view.id} ${binding.id} ${binding.keys.join(',')}`;
          const acts = actingSections(state, data).some((s) => s.keys.includes(binding));
          if (!keyCanAct(state, data, binding)) {
            expect(help, where).not.toContain(describeBinding(binding));
            if (binding.short) expect(hints, where).not.toContain(`${binding.keys[0]} ${binding.short}`);
          }
          if (!acts) continue;
          expect(help, where).toContain(describeBinding(binding));
          const pressed = pressKey(state, data, binding.keys[0] ?? '');
          expect(pressed !== null && !('refused' in pressed), where).toBe(true);
        }
      }
    }
  });
});

/** The same view with all namespaces shown and with a filter matching nothing: keys that then cannot act. */
function variants(state: AppState): AppState[] {
  const view = top(state.stack).view;
  return [
    { ...state, namespace: null },
    { ...state, filters: { ...state.filters, [view]: 'matches-nothing-at-all' } },
  ];
}
