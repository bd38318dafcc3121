/** The status line's transient message. */
import { FLASH_MS, type AppState } from './app-state.js';

export function flash(state: AppState, level: 'info' | 'error', text: string): AppState {
  return { ...state, flash: { level, text, until: state.now + FLASH_MS } };
}
