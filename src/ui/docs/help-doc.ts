/** The help view: every key of a view and the global ones, from the one keymap table. */
import { bindingsFor, displayKey, VIEW_SCOPES, type CommandId, type KeyBinding } from '../keymap.js';
import { line, type DocLine } from './doc.js';

export function describeBinding(b: KeyBinding): string {
  const keys = b.keys.map(displayKey).join(' ');
  return `  ${keys.padEnd(20)} ${b.danger ? '[write] ' : ''}${b.description}`;
}

/** The keys of `view` that can act there (`canAct`), then the global ones. */
export function helpDoc(view: string, readonly: boolean, canAct: (id: CommandId) => boolean = () => true): DocLine[] {
  const scopes = VIEW_SCOPES[view] ?? ['global'];
  const out: DocLine[] = [];
  for (const scope of scopes) {
    const bindings = bindingsFor([scope], { readonly }).filter((b) => canAct(b.id));
    if (bindings.length === 0) continue;
    out.push(line(scope === 'global' ? 'Global keys' : scope === 'list' ? 'Moving around' : `Keys of the ${view} view`, 'heading'));
    for (const b of bindings) out.push(line(describeBinding(b), b.danger ? 'warning' : 'plain'));
    out.push(line(''));
  }
  out.push(line('Filter and command line: type text, <enter> applies, <esc> cancels, <backspace> deletes.', 'dim'));
  out.push(line('Commands: :pods (:po)  :denials  :policies (:netpol :ap :pa :ra)  :map  :explain  :ns NAME (:ns all)  :q', 'dim'));
  return out;
}
