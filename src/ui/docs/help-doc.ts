/** The help view: the keys that can act in a view, its own then moving around then global, from the registry. */
import { displayKey } from '../keymap.js';
import type { KeySection, ViewKey } from '../views/descriptor.js';
import { line, type DocLine } from './doc.js';

export function describeBinding(b: Pick<ViewKey, 'keys' | 'description' | 'danger'>): string {
  const keys = b.keys.map(displayKey).join(' ');
  return `  ${keys.padEnd(20)} ${b.danger ? '[write] ' : ''}${b.description}`;
}

/** The help document of a view from its sections of keys that can act (`actingSections`) and the `:` words that open views. */
export function helpDoc(sections: readonly KeySection[], viewWords: readonly string[] = []): DocLine[] {
  const out: DocLine[] = [];
  for (const section of sections) {
    if (section.keys.length === 0) continue;
    out.push(line(section.title, 'heading'));
    for (const b of section.keys) out.push(line(describeBinding(b), b.danger ? 'warning' : 'plain'));
    out.push(line(''));
  }
  out.push(line('Filter and command line: type text, <enter> applies, <esc> cancels, <backspace> deletes.', 'dim'));
  const words = viewWords.map((w) => `:${w}`).join(' ');
  out.push(line(`Commands: ${words}${words === '' ? '' : ' '} :ns NAME (:ns all)  :w FILE  :q`, 'dim'));
  return out;
}
