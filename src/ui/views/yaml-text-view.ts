/** A YAML document: an object (`y`) or a fix (`f`); `c` copies it, `:w FILE` writes it. */
import { copyShown, yamlDoc } from '../state/yaml-view.js';
import type { ViewDescriptor } from './descriptor.js';

/** The navigation entry of this view. */
export interface YamlEntry {
  readonly view: 'yaml';
  readonly cursor: number;
  readonly title: string;
  readonly text: string;
}

export const yamlTextView: ViewDescriptor<'yaml'> = {
  id: 'yaml',
  title: 'YAML (an object or a fix)',
  crumb: (entry) => entry.title,
  aliases: [],
  document: (_data, _state, entry) => yamlDoc(entry.text),
  keys: [
    {
      id: 'copy',
      keys: ['c'],
      description: 'Copy this YAML to the clipboard (OSC 52: the terminal must allow it)',
      short: 'copy',
      category: 'general',
      run: ({ state }) => copyShown(state),
    },
  ],
};
