/**
 * The keys in force in the current view, from the registry: the view's own keys, then moving
 * around (`list`), then the global ones; the first that has a key wins (so `q` in help closes
 * help). Dispatch, the footer and help all read this one list, so a key shown is a key that acts.
 */
import { KEYMAP, type KeyBinding, type Scope } from '../keymap.js';
import type { AppState, UiData } from '../state/app-state.js';
import { runCommand } from '../state/command-reducer.js';
import { disabledReason } from '../state/key-availability.js';
import { top, type ViewName } from '../state/navigation.js';
import type { KeyContext, ViewKey } from './descriptor.js';
import { viewDescriptor } from './registry.js';
import { sortColumnKey } from './common-keys.js';

export interface KeySection {
  readonly title: string;
  readonly keys: readonly ViewKey[];
}

/** A keymap binding (global, moving around, or a view not yet in the registry) as a view key. */
function sharedKey(b: KeyBinding): ViewKey {
  if (b.id === 'sort-column') return { ...sortColumnKey([]), ...b };
  return {
    ...b,
    run: ({ state, data }) => runCommand(state, b.id, data),
    disabled: ({ state, data }) => disabledReason(b.id, state, data),
  };
}

const sharedCache = new Map<Scope, readonly ViewKey[]>();

export function sharedKeys(scope: Scope): readonly ViewKey[] {
  let keys = sharedCache.get(scope);
  if (keys === undefined) {
    keys = KEYMAP.filter((b) => b.scope === scope).map(sharedKey);
    sharedCache.set(scope, keys);
  }
  return keys;
}

/** The view's own keys (as declared in its module), writes left out when read-only. */
export function ownKeys(view: ViewName, readonly: boolean): readonly ViewKey[] {
  const declared = (viewDescriptor(view)?.keys as readonly ViewKey[] | undefined) ?? sharedKeys(view);
  return readonly ? declared.filter((k) => k.danger !== true) : declared;
}

/** A view's keys by section, most specific first. */
export function keySections(view: ViewName, readonly: boolean): KeySection[] {
  return [
    { title: `Keys of the ${view} view`, keys: ownKeys(view, readonly) },
    { title: 'Moving around', keys: sharedKeys('list') },
    { title: 'Global keys', keys: sharedKeys('global') },
  ];
}

function contextOf(state: AppState, data: UiData, key: string): KeyContext {
  return { state, data, entry: top(state.stack), key };
}

/** The key bound to `key` in the top view, with its context, or null. */
export function boundKey(
  state: AppState,
  data: UiData,
  key: string,
): { readonly binding: ViewKey; readonly ctx: KeyContext } | null {
  const entry = top(state.stack);
  for (const section of keySections(entry.view, data.readonly)) {
    const binding = section.keys.find((k) => k.keys.includes(key));
    if (binding) return { binding, ctx: contextOf(state, data, key) };
  }
  return null;
}

/** What pressing `key` does in the top view: its handler, or the reason it cannot act (flashed). */
export function pressKey(
  state: AppState,
  data: UiData,
  key: string,
): AppState | { readonly refused: string; readonly id: string } | null {
  const hit = boundKey(state, data, key);
  if (hit === null) return null;
  const reason = hit.binding.disabled?.(hit.ctx) ?? null;
  return reason === null ? hit.binding.run(hit.ctx) : { refused: reason, id: hit.binding.id };
}

/** Whether a key can act in the top view now (no disabled reason). */
export function keyCanAct(state: AppState, data: UiData, binding: ViewKey): boolean {
  const key = binding.keys[0] ?? '';
  return (binding.disabled?.(contextOf(state, data, key)) ?? null) === null;
}

/**
 * The keys of a view that can act now, section by section: a key whose every letter an earlier
 * section took is left out (it cannot be reached), and so is a key with a disabled reason.
 * `state` is the state with that view on top.
 */
export function actingSections(state: AppState, data: UiData): KeySection[] {
  const taken = new Set<string>();
  return keySections(top(state.stack).view, data.readonly).map((section) => {
    const keys = section.keys.filter((binding) => {
      const free = binding.keys.filter((k) => !taken.has(k));
      binding.keys.forEach((k) => taken.add(k));
      return free.length > 0 && keyCanAct(state, data, binding);
    });
    return { title: section.title, keys };
  });
}

/** The keys of the top view that can act now, most specific first. */
export function actingKeys(state: AppState, data: UiData): ViewKey[] {
  return actingSections(state, data).flatMap((s) => s.keys);
}

/** The first key bound to `id` in a view (its own keys, then moving around, then global); for tests. */
export function keyOf(id: string, view: ViewName): string {
  for (const section of keySections(view, false)) {
    const hit = section.keys.find((k) => k.id === id);
    if (hit?.keys[0] !== undefined) return hit.keys[0];
  }
  throw new Error(`no key for ${id} in the ${view} view`);
}

/** What the footer lists: the prompt's or confirmation's keys, else the keys that can act in the top view. */
export function footerKeys(state: AppState, data: UiData): readonly ViewKey[] {
  const shared = (scope: Scope): readonly ViewKey[] =>
    sharedKeys(scope).filter((k) => !(data.readonly && k.danger === true));
  if (state.mode.kind === 'confirm') return shared('confirm');
  if (state.mode.kind !== 'normal') return shared('prompt');
  const entry = top(state.stack);
  if (entry.view === 'explain' && entry.step !== 'result') return shared('explain-form');
  return actingKeys(state, data);
}
