/**
 * Why a shared key (global, moving around) cannot act here, as lazygit's `GetDisabledReason`
 * (jesseduffield/lazygit: pkg/gui/types/keybindings.go): the footer and help list only keys
 * that can act, and a key pressed anyway says why instead of doing nothing. A view's own keys
 * carry their reasons in the view's module.
 */
import type { CommandId } from '../keymap.js';
import type { AppState, UiData } from './app-state.js';
import { top } from './navigation.js';

type Reason = (state: AppState, data: UiData) => string | null;

const REASONS: Partial<Record<CommandId, Reason>> = {
  back: (state) => {
    const entry = top(state.stack);
    return state.stack.length <= 1 && !state.filters[entry.view] ? 'nothing is above this view' : null;
  },
  help: (state) => (top(state.stack).view === 'help' ? 'this is help: q or <esc> closes it' : null),
};

export function disabledReason(id: CommandId, state: AppState, data: UiData): string | null {
  return REASONS[id]?.(state, data) ?? null;
}
