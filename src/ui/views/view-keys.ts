/**
 * The keys in force in the current view, from the registry: the view's own keys, then moving
 * around (`list`), then the global ones; the first that has a key wins (so `q` in help closes
 * help). While a view takes text (the explain form) only its form keys act. Dispatch, the
 * footer and help all read this one list, so a key shown is a key that acts.
 */
import { KEYMAP, type KeyBinding, type Scope } from '../keymap.js';
import type { AppState, UiData } from '../state/app-state.js';
import { runCommand } from '../state/command-reducer.js';
import { disabledReason } from '../state/key-availability.js';
import { top, type ViewEntry, type ViewName } from '../state/navigation.js';
import type { RowLookup } from '../state/selection.js';
import type { AllViews, KeyContext, KeySection, ViewKey } from './descriptor.js';
import { allViews, viewDescriptor } from './registry.js';
import { rowCount, rowKeys } from './view-content.js';

/** All the views, for documents that list them (help); see `AllViews`. */
export const ALL_VIEWS: AllViews = { actingSections: (state, data) => actingSections(state, data), list: allViews };

/** Any view's rows, from the registry, for the state layer and the keys (see `RowLookup`). */
export const VIEW_ROWS: RowLookup = { keys: rowKeys, count: (data, state) => rowCount(data, state, ALL_VIEWS) };

/** A keymap binding (global, moving around, prompt, confirmation) as a view key. */
function sharedKey(b: KeyBinding): ViewKey {
  return {
    ...b,
    run: ({ state, data }) => runCommand(state, b.id, data, VIEW_ROWS),
    disabled: ({ state, data }) => disabledReason(b.id, state, data),
  };
}

const sharedCache = new Map<Scope, readonly ViewKey[]>();

export function sharedKeys(scope: Scope, readonly = false): readonly ViewKey[] {
  let keys = sharedCache.get(scope);
  if (keys === undefined) {
    keys = KEYMAP.filter((b) => b.scope === scope).map(sharedKey);
    sharedCache.set(scope, keys);
  }
  return readonly ? keys.filter((k) => k.danger !== true) : keys;
}

function withoutWrites(keys: readonly ViewKey[], readonly: boolean): readonly ViewKey[] {
  return readonly ? keys.filter((k) => k.danger !== true) : keys;
}

/** The view's own keys (as declared in its module), writes left out when read-only. */
export function ownKeys(view: ViewName, readonly: boolean): readonly ViewKey[] {
  return withoutWrites(viewDescriptor(view).keys as readonly ViewKey[], readonly);
}

/** The form's keys while the view on top takes text, else null. */
function textKeys(entry: ViewEntry): readonly ViewKey[] | null {
  const input = viewDescriptor(entry.view).textInput;
  return input?.active(entry) ? (input.keys as readonly ViewKey[]) : null;
}

/** A view's keys by section, most specific first (its form's alone while it takes text). */
export function keySections(entry: ViewEntry, readonly: boolean): KeySection[] {
  const form = textKeys(entry);
  if (form !== null) return [{ title: `Keys of the ${entry.view} form`, keys: withoutWrites(form, readonly) }];
  return [
    { title: `Keys of the ${entry.view} view`, keys: ownKeys(entry.view, readonly) },
    { title: 'Moving around', keys: sharedKeys('list') },
    { title: 'Global keys', keys: sharedKeys('global', readonly) },
  ];
}

function contextOf(state: AppState, data: UiData, key: string): KeyContext {
  return { state, data, entry: top(state.stack), key, rows: VIEW_ROWS };
}

/** What pressing `key` does in the top view: its handler's state, the reason it cannot act, or null (unbound). */
export function pressKey(
  state: AppState,
  data: UiData,
  key: string,
): AppState | { readonly refused: string; readonly id: string } | null {
  const ctx = contextOf(state, data, key);
  for (const section of keySections(ctx.entry, data.readonly)) {
    const binding = section.keys.find((k) => k.keys.includes(key));
    if (binding === undefined) continue;
    const reason = binding.disabled?.(ctx) ?? null;
    return reason === null ? binding.run(ctx) : { refused: reason, id: binding.id };
  }
  const input = viewDescriptor(ctx.entry.view).textInput;
  return input?.active(ctx.entry) && [...key].length === 1 ? input.typeText(ctx) : null;
}

/** Whether a key can act in the top view now (no disabled reason). */
export function keyCanAct(state: AppState, data: UiData, binding: ViewKey): boolean {
  return (binding.disabled?.(contextOf(state, data, binding.keys[0] ?? '')) ?? null) === null;
}

/**
 * The keys of the top view that can act now, section by section: a key whose every letter an
 * earlier section took is left out (it cannot be reached), and so is a key with a disabled reason.
 */
export function actingSections(state: AppState, data: UiData): KeySection[] {
  const taken = new Set<string>();
  return keySections(top(state.stack), data.readonly).map((section) => {
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

/** What the footer lists: the prompt's or confirmation's keys, else the keys that can act in the top view. */
export function footerKeys(state: AppState, data: UiData): readonly ViewKey[] {
  if (state.mode.kind === 'confirm') return sharedKeys('confirm', data.readonly);
  if (state.mode.kind !== 'normal') return sharedKeys('prompt', data.readonly);
  return actingKeys(state, data);
}

/** What the footer says before the keys: the field being typed into, while a view takes text. */
export function footerLead(state: AppState): string {
  const entry = top(state.stack);
  const input = viewDescriptor(entry.view).textInput;
  return state.mode.kind === 'normal' && input?.active(entry) ? input.hint(entry) : '';
}

/** The first key bound to `id` in a view: its own keys, its form's, moving around, global; for tests. */
export function keyOf(id: string, view: ViewName): string {
  const d = viewDescriptor(view);
  const all = [
    ...(d.keys as readonly ViewKey[]),
    ...((d.textInput?.keys ?? []) as readonly ViewKey[]),
    ...sharedKeys('list'),
    ...sharedKeys('global'),
  ];
  const hit = all.find((k) => k.id === id)?.keys[0];
  if (hit === undefined) throw new Error(`no key for ${id} in the ${view} view`);
  return hit;
}
