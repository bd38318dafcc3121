/**
 * THE key table: every key meshdbg's TUI understands, in one place. Handling
 * (`commandFor`), the footer hints, the help view and docs/keys.md all read it.
 */
import { DENIAL_SORTS, POLICY_SORTS, SERVICE_SORTS, sortKeysDescription } from './state/table-sort.js';

/** Where a binding applies. `list` is shared by every list view; `global` by all views. */
export type Scope =
  | 'global'
  | 'list'
  | 'pods'
  | 'pod'
  | 'denials'
  | 'denial'
  | 'policies'
  | 'policy'
  | 'map'
  | 'yaml'
  | 'services'
  | 'service'
  | 'namespaces'
  | 'lint'
  | 'logs'
  | 'explain'
  | 'explain-form'
  | 'help'
  | 'prompt'
  | 'confirm';

export type Category = 'navigation' | 'views' | 'filter' | 'sort' | 'logs' | 'writes' | 'prompt' | 'general';

export type CommandId =
  | 'quit'
  | 'force-quit'
  | 'back'
  | 'help'
  | 'filter'
  | 'command'
  | 'cursor-up'
  | 'cursor-down'
  | 'page-up'
  | 'page-down'
  | 'cursor-top'
  | 'cursor-bottom'
  | 'open'
  | 'open-logs'
  | 'log-level'
  | 'explain-from-here'
  | 'explain-denial'
  | 'show-fix'
  | 'show-yaml'
  | 'copy'
  | 'describe'
  | 'sort-column'
  | 'pick-namespace'
  | 'sort-name'
  | 'sort-namespace'
  | 'sort-denials'
  | 'sort-reverse'
  | 'freeze'
  | 'all-namespaces'
  | 'form-next'
  | 'form-delete'
  | 'form-up'
  | 'form-down'
  | 'explain-edit'
  | 'logs-tail'
  | 'logs-window-1m'
  | 'logs-window-5m'
  | 'logs-window-15m'
  | 'logs-window-30m'
  | 'logs-window-1h'
  | 'logs-window-all'
  | 'logs-autoscroll'
  | 'logs-wrap'
  | 'logs-rbac-only'
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
    id: 'filter',
    keys: ['/'],
    scope: 'pods',
    description: 'Fuzzy filter pods by name, namespace, labels, service account',
    short: 'filter',
    category: 'filter',
  },
  {
    id: 'open',
    keys: ['enter'],
    scope: 'pods',
    description: 'Open the pod detail',
    short: 'detail',
    category: 'views',
  },
  {
    id: 'open-logs',
    keys: ['l'],
    scope: 'pods',
    description: 'Tail the istio-proxy log of the pod',
    short: 'logs',
    category: 'logs',
  },
  {
    id: 'log-level',
    keys: ['L'],
    scope: 'pods',
    description: 'Raise the rbac logger to debug on the pods of this workload (restored on timeout and quit)',
    short: 'log level',
    category: 'writes',
    danger: true,
  },
  {
    id: 'explain-from-here',
    keys: ['x'],
    scope: 'pods',
    description: 'Explain a request from this pod to a peer',
    short: 'explain',
    category: 'views',
  },
  ...(['pods', 'denials', 'policies', 'services', 'map'] as const).map((scope): KeyBinding => ({
    id: 'all-namespaces',
    keys: ['0'],
    scope,
    description: 'Show all namespaces (as k9s 0; :ns NAME picks one)',
    short: 'all ns',
    category: 'filter',
  })),
  { id: 'sort-name', keys: ['N'], scope: 'pods', description: 'Sort by name', category: 'sort' },
  { id: 'sort-namespace', keys: ['S'], scope: 'pods', description: 'Sort by namespace', category: 'sort' },
  { id: 'sort-denials', keys: ['D'], scope: 'pods', description: 'Sort by recent denials', category: 'sort' },
  { id: 'sort-reverse', keys: ['R'], scope: 'pods', description: 'Reverse the sort order', category: 'sort' },
  {
    id: 'open-logs',
    keys: ['l'],
    scope: 'pod',
    description: 'Tail the istio-proxy log of this pod',
    short: 'logs',
    category: 'logs',
  },
  {
    id: 'log-level',
    keys: ['L'],
    scope: 'pod',
    description: 'Raise the rbac logger to debug on the pods of this workload',
    short: 'log level',
    category: 'writes',
    danger: true,
  },
  {
    id: 'explain-from-here',
    keys: ['x'],
    scope: 'pod',
    description: 'Explain a request from this pod to a peer',
    short: 'explain',
    category: 'views',
  },
  {
    id: 'open',
    keys: ['enter'],
    scope: 'denials',
    description: 'Open the policy that decided, with the rule highlighted',
    short: 'policy',
    category: 'views',
  },
  {
    id: 'filter',
    keys: ['/'],
    scope: 'denials',
    description: 'Filter denials by text',
    short: 'filter',
    category: 'filter',
  },
  ...(['denials', 'denial'] as const).map((scope): KeyBinding => ({
    id: 'explain-denial',
    keys: ['x'],
    scope,
    description: "Explain this denial's request (source, destination, port, method, path filled in)",
    short: 'explain',
    category: 'views',
  })),
  ...(['pods', 'pod', 'policies', 'policy'] as const).map((scope): KeyBinding => ({
    id: 'show-yaml',
    keys: ['y'],
    scope,
    description: 'Show the YAML of the selected object (c copies it, :w FILE writes it)',
    short: 'yaml',
    category: 'views',
  })),
  {
    id: 'show-fix',
    keys: ['f'],
    scope: 'explain',
    description: 'Show the fix YAML (c copies it, :w FILE writes it)',
    short: 'fix',
    category: 'views',
  },
  {
    id: 'copy',
    keys: ['c'],
    scope: 'yaml',
    description: 'Copy this YAML to the clipboard (OSC 52: the terminal must allow it)',
    short: 'copy',
    category: 'general',
  },
  ...(['pods', 'denials', 'policies', 'services'] as const).map((scope): KeyBinding => ({
    id: 'describe',
    keys: ['d'],
    scope,
    description: 'Describe the selected object (as kubectl describe, with its policies)',
    short: 'describe',
    category: 'views',
  })),
  ...(
    [
      ['denials', DENIAL_SORTS],
      ['policies', POLICY_SORTS],
      ['services', SERVICE_SORTS],
    ] as const
  ).map(([scope, columns]): KeyBinding => ({
    id: 'sort-column',
    keys: columns.map((c) => c.key),
    scope,
    description: sortKeysDescription(columns),
    category: 'sort',
  })),
  {
    id: 'open',
    keys: ['enter'],
    scope: 'services',
    description: 'Describe the Service: ports, selector, pods and their policies',
    short: 'describe',
    category: 'views',
  },
  {
    id: 'filter',
    keys: ['/'],
    scope: 'services',
    description: 'Filter Services by text',
    short: 'filter',
    category: 'filter',
  },
  { id: 'open', keys: ['enter'], scope: 'policies', description: 'Open the policy', short: 'open', category: 'views' },
  {
    id: 'open',
    keys: ['enter'],
    scope: 'map',
    description: 'Explain this edge: a pod of its source to a pod of its destination, on the first allowed TCP port',
    short: 'explain',
    category: 'views',
  },
  {
    id: 'filter',
    keys: ['/'],
    scope: 'map',
    description: 'Filter edges by workload, ports, layer or HTTP rule',
    short: 'filter',
    category: 'filter',
  },
  { id: 'sort-namespace', keys: ['S'], scope: 'map', description: 'Sort by source', category: 'sort' },
  { id: 'sort-name', keys: ['N'], scope: 'map', description: 'Sort by destination', category: 'sort' },
  { id: 'sort-denials', keys: ['D'], scope: 'map', description: 'Sort by denials seen', category: 'sort' },
  { id: 'sort-reverse', keys: ['R'], scope: 'map', description: 'Reverse the sort order', category: 'sort' },
  {
    id: 'filter',
    keys: ['/'],
    scope: 'policies',
    description: 'Filter policies by text',
    short: 'filter',
    category: 'filter',
  },
  {
    id: 'filter',
    keys: ['/'],
    scope: 'logs',
    description: 'Filter log lines by text',
    short: 'filter',
    category: 'filter',
  },
  { id: 'logs-tail', keys: ['0'], scope: 'logs', description: 'Show the whole tail', short: 'tail', category: 'logs' },
  { id: 'logs-window-1m', keys: ['1'], scope: 'logs', description: 'Only the last minute', category: 'logs' },
  { id: 'logs-window-5m', keys: ['2'], scope: 'logs', description: 'Only the last 5 minutes', category: 'logs' },
  { id: 'logs-window-15m', keys: ['3'], scope: 'logs', description: 'Only the last 15 minutes', category: 'logs' },
  { id: 'logs-window-30m', keys: ['4'], scope: 'logs', description: 'Only the last 30 minutes', category: 'logs' },
  { id: 'logs-window-1h', keys: ['5'], scope: 'logs', description: 'Only the last hour', category: 'logs' },
  { id: 'logs-window-all', keys: ['6'], scope: 'logs', description: 'Everything kept in the buffer', category: 'logs' },
  {
    id: 'logs-autoscroll',
    keys: ['s'],
    scope: 'logs',
    description: 'Toggle autoscroll',
    short: 'autoscroll',
    category: 'logs',
  },
  { id: 'logs-wrap', keys: ['w'], scope: 'logs', description: 'Toggle line wrap', short: 'wrap', category: 'logs' },
  {
    id: 'logs-rbac-only',
    keys: ['r'],
    scope: 'logs',
    description: 'Show only RBAC lines',
    short: 'rbac only',
    category: 'logs',
  },
  {
    id: 'log-level',
    keys: ['L'],
    scope: 'logs',
    description: 'Raise the rbac logger to debug on the pods of this workload',
    short: 'log level',
    category: 'writes',
    danger: true,
  },
  {
    id: 'open',
    keys: ['enter'],
    scope: 'explain',
    description: 'Pick the highlighted peer / accept the field',
    short: 'next',
    category: 'views',
  },
  {
    id: 'explain-edit',
    keys: ['e'],
    scope: 'explain',
    description: 'Edit the query (port, method, path, JWT) and run it again',
    short: 'edit',
    category: 'views',
  },
  {
    id: 'form-next',
    keys: ['enter'],
    scope: 'explain-form',
    description: 'Pick the highlighted destination / accept the field (the last one runs explain)',
    short: 'next field',
    category: 'prompt',
  },
  {
    id: 'form-delete',
    keys: ['backspace', 'delete'],
    scope: 'explain-form',
    description: 'Delete the last character of the field',
    category: 'prompt',
  },
  {
    id: 'form-up',
    keys: ['up'],
    scope: 'explain-form',
    description: 'Move the destination selection up',
    short: 'pick',
    category: 'prompt',
  },
  {
    id: 'form-down',
    keys: ['down'],
    scope: 'explain-form',
    description: 'Move the destination selection down',
    category: 'prompt',
  },
  {
    id: 'back',
    keys: ['esc'],
    scope: 'explain-form',
    description: 'Leave the form',
    short: 'back',
    category: 'navigation',
  },
  { id: 'back', keys: ['q'], scope: 'help', description: 'Close help', short: 'close', category: 'navigation' },
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

/** Views and the scopes they see, most specific first. */
export const VIEW_SCOPES: Readonly<Record<string, readonly Scope[]>> = {
  pods: ['pods', 'list', 'global'],
  pod: ['pod', 'list', 'global'],
  denials: ['denials', 'list', 'global'],
  denial: ['denial', 'list', 'global'],
  policies: ['policies', 'list', 'global'],
  policy: ['policy', 'list', 'global'],
  map: ['map', 'list', 'global'],
  logs: ['logs', 'list', 'global'],
  explain: ['explain', 'list', 'global'],
  yaml: ['yaml', 'list', 'global'],
  services: ['services', 'list', 'global'],
  service: ['service', 'list', 'global'],
  namespaces: ['namespaces', 'list', 'global'],
  lint: ['lint', 'list', 'global'],
  help: ['help', 'list', 'global'],
  'explain-form': ['explain-form'],
  prompt: ['prompt'],
  confirm: ['confirm'],
};

export interface KeymapOptions {
  readonly readonly: boolean;
}

/** The bindings active for a chain of scopes, writes removed in read-only mode. */
export function bindingsFor(scopes: readonly Scope[], options: KeymapOptions): KeyBinding[] {
  return KEYMAP.filter((b) => scopes.includes(b.scope) && !(options.readonly && b.danger === true));
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
