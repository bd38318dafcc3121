/**
 * The keys every view shares: global, moving around (`list`), the filter/command prompt and the
 * confirmation of a write. A view's own keys are declared in its module (`views/registry.ts`
 * lists the views); `views/view-keys.ts` puts both together for dispatch, footer and help.
 */

/** Where a shared binding applies. `list` and `global` follow every view; the others are modes. */
export type Scope = 'global' | 'list' | 'prompt' | 'confirm';

export type Category = 'navigation' | 'views' | 'filter' | 'sort' | 'logs' | 'writes' | 'prompt' | 'general';

export type CommandId =
  | 'quit'
  | 'force-quit'
  | 'back'
  | 'help'
  | 'command'
  | 'freeze'
  | 'cursor-up'
  | 'cursor-down'
  | 'page-up'
  | 'page-down'
  | 'cursor-top'
  | 'cursor-bottom'
  | 'prompt-submit'
  | 'prompt-cancel'
  | 'prompt-delete'
  | 'confirm-yes'
  | 'confirm-no'
  | 'confirm-toggle-jwt'
  | 'confirm-toggle-ext-authz';

export interface KeyBinding {
  readonly id: CommandId;
  /** normalized key names (see `normalizeKeys`): a character, or up/down/enter/esc/ctrl+c... */
  readonly keys: readonly string[];
  readonly scope: Scope;
  readonly description: string;
  /** footer label; bindings without one are listed in help only */
  readonly short?: string;
  readonly category: Category;
  /** a write to the cluster (or the simulator): marked in hints, hidden with --readonly */
  readonly danger?: boolean;
}

export const KEYMAP: readonly KeyBinding[] = [
  {
    id: 'quit',
    keys: ['q'],
    scope: 'global',
    description: 'Quit meshdbg (restores raised log levels)',
    short: 'quit',
    category: 'general',
  },
  {
    id: 'force-quit',
    keys: ['ctrl+c'],
    scope: 'global',
    description: 'Quit immediately, restoring log levels and the terminal',
    category: 'general',
  },
  {
    id: 'back',
    keys: ['esc'],
    scope: 'global',
    description: 'Go back to the previous view',
    short: 'back',
    category: 'navigation',
  },
  {
    id: 'help',
    keys: ['?'],
    scope: 'global',
    description: 'Show the keys of this view and the global ones',
    short: 'help',
    category: 'general',
  },
  {
    id: 'command',
    keys: [':'],
    scope: 'global',
    description:
      'Command line: :ns [NAME], :pods, :denials, :policies, :svc, :lint, :map, :explain, :w FILE (writes a YAML view)',
    short: 'cmd',
    category: 'views',
  },
  {
    id: 'freeze',
    keys: ['p'],
    scope: 'global',
    description: 'Freeze the screen: hold live updates (denials, logs, counts) until pressed again',
    short: 'freeze',
    category: 'general',
  },
  { id: 'cursor-up', keys: ['up', 'k'], scope: 'list', description: 'Move the selection up', category: 'navigation' },
  {
    id: 'cursor-down',
    keys: ['down', 'j'],
    scope: 'list',
    description: 'Move the selection down',
    category: 'navigation',
  },
  { id: 'page-up', keys: ['pageup', 'ctrl+b'], scope: 'list', description: 'Move one page up', category: 'navigation' },
  {
    id: 'page-down',
    keys: ['pagedown', 'ctrl+f'],
    scope: 'list',
    description: 'Move one page down',
    category: 'navigation',
  },
  {
    id: 'cursor-top',
    keys: ['home', 'g'],
    scope: 'list',
    description: 'Jump to the first row',
    category: 'navigation',
  },
  {
    id: 'cursor-bottom',
    keys: ['end', 'G'],
    scope: 'list',
    description: 'Jump to the last row',
    category: 'navigation',
  },
  {
    id: 'prompt-submit',
    keys: ['enter'],
    scope: 'prompt',
    description: 'Apply what was typed',
    short: 'apply',
    category: 'prompt',
  },
  { id: 'prompt-cancel', keys: ['esc'], scope: 'prompt', description: 'Cancel', short: 'cancel', category: 'prompt' },
  {
    id: 'prompt-delete',
    keys: ['backspace', 'delete'],
    scope: 'prompt',
    description: 'Delete the last character',
    category: 'prompt',
  },
  {
    id: 'confirm-yes',
    keys: ['y'],
    scope: 'confirm',
    description: 'Confirm the write',
    short: 'yes',
    category: 'writes',
    danger: true,
  },
  { id: 'confirm-no', keys: ['n', 'esc'], scope: 'confirm', description: 'Cancel', short: 'no', category: 'writes' },
  {
    id: 'confirm-toggle-jwt',
    keys: ['j'],
    scope: 'confirm',
    description: 'Also change the jwt logger (or not)',
    short: '+jwt',
    category: 'writes',
  },
  {
    id: 'confirm-toggle-ext-authz',
    keys: ['e'],
    scope: 'confirm',
    description: 'Also change the ext_authz logger (or not)',
    short: '+ext_authz',
    category: 'writes',
  },
];

export interface KeymapOptions {
  readonly readonly: boolean;
}

/** The command a key triggers in a chain of scopes (first scope wins), or null. */
export function commandFor(key: string, scopes: readonly Scope[], options: KeymapOptions): CommandId | null {
  for (const scope of scopes) {
    const hit = KEYMAP.find(
      (b) => b.scope === scope && b.keys.includes(key) && !(options.readonly && b.danger === true),
    );
    if (hit) return hit.id;
  }
  return null;
}

/** The first key bound to a command in a scope chain; for hints and tests. */
export function keyFor(id: CommandId, scopes: readonly Scope[]): string {
  for (const scope of scopes) {
    const hit = KEYMAP.find((b) => b.scope === scope && b.id === id);
    if (hit?.keys[0] !== undefined) return hit.keys[0];
  }
  throw new Error(`no key for ${id} in ${scopes.join(',')}`);
}

/** How a key is shown to users: `<enter>`, `<ctrl+c>`, `q`. */
export function displayKey(key: string): string {
  return key.length === 1 ? key : `<${key}>`;
}
