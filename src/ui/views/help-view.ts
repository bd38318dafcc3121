/** `?`: the keys that can act in the view below, then moving around and the global keys. */
import { helpDoc } from '../docs/help-doc.js';
import { pop, push, top, type ViewName } from '../state/navigation.js';
import type { ViewDescriptor } from './descriptor.js';

/** The navigation entry of this view. */
export interface HelpEntry {
  readonly view: 'help';
  readonly cursor: number;
  /** the view whose keys help lists */
  readonly forView: ViewName;
}

export const helpView: ViewDescriptor<'help'> = {
  id: 'help',
  title: 'Help',
  crumb: () => 'help',
  aliases: [{ word: 'help' }, { word: '?' }],
  open: (state) => {
    const below = top(state.stack);
    return below.view === 'help'
      ? state
      : { ...state, stack: push(state.stack, { view: 'help', cursor: 0, forView: below.view }) };
  },
  document: (data, state, _entry, views) =>
    helpDoc(
      views.actingSections({ ...state, stack: pop(state.stack) }, data),
      // each view's name and its short names (the long spellings are in docs/keys.md)
      views.list().flatMap((v) => v.aliases.filter((a, i) => i === 0 || a.word.length <= 6).map((a) => a.word)),
    ),
  // as k9s: q closes help instead of quitting
  keys: [
    {
      id: 'back',
      keys: ['q'],
      description: 'Close help',
      short: 'close',
      category: 'navigation',
      run: ({ state }) => ({ ...state, stack: pop(state.stack) }),
    },
  ],
};
