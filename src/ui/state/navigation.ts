/**
 * The view stack: Enter pushes, Esc pops, breadcrumbs render from it.
 * Each entry carries its own cursor (selected row, or scroll offset for documents).
 * List entries also carry the identity of the selected row (see `ViewEntry`).
 */
import type { DocLine } from '../docs/doc.js';

export interface PolicyKey {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
}

export type ExplainStep = 'peer' | 'port' | 'method' | 'path' | 'jwt' | 'result';

export interface ExplainForm {
  readonly peerQuery: string;
  readonly peer: string | null;
  readonly port: string;
  readonly method: string;
  readonly path: string;
  readonly jwt: string;
}

export interface LogsOptions {
  /** only lines newer than this many ms; null: no time window */
  readonly windowMs: number | null;
  /** only the last N lines; null: all kept */
  readonly tailLines: number | null;
  readonly autoscroll: boolean;
  readonly wrap: boolean;
  readonly rbacOnly: boolean;
}

/**
 * `selected` is the identity of the selected row in a list view (pod key, denial id, policy key,
 * log line number): the selection follows that object when rows arrive or re-sort, and `cursor`
 * is only the fallback position when the object has gone.
 */
export type ViewEntry = ViewEntryBody & { readonly selected?: string };

type ViewEntryBody =
  | { readonly view: 'pods'; readonly cursor: number }
  | { readonly view: 'pod'; readonly cursor: number; readonly pod: string }
  | { readonly view: 'denials'; readonly cursor: number }
  | { readonly view: 'denial'; readonly cursor: number; readonly denial: string }
  | { readonly view: 'policies'; readonly cursor: number }
  | { readonly view: 'map'; readonly cursor: number }
  | { readonly view: 'policy'; readonly cursor: number; readonly policy: PolicyKey; readonly ruleRef: string | null }
  | { readonly view: 'logs'; readonly cursor: number; readonly pod: string; readonly options: LogsOptions }
  | {
      readonly view: 'explain';
      readonly cursor: number;
      readonly source: string;
      readonly step: ExplainStep;
      readonly form: ExplainForm;
      /** computed once when the form is complete */
      readonly result: readonly DocLine[] | null;
      /** the result's fix YAML (`f` shows it), null when the verdict needs none */
      readonly fixYaml?: string | null;
    }
  | { readonly view: 'yaml'; readonly cursor: number; readonly title: string; readonly text: string }
  | { readonly view: 'services'; readonly cursor: number }
  | { readonly view: 'service'; readonly cursor: number; readonly service: string }
  | { readonly view: 'namespaces'; readonly cursor: number }
  | { readonly view: 'lint'; readonly cursor: number }
  | { readonly view: 'help'; readonly cursor: number; readonly forView: ViewName };

export type ViewName = ViewEntry['view'];

export type NavStack = readonly [ViewEntry, ...ViewEntry[]];

export const ROOT_STACK: NavStack = [{ view: 'pods', cursor: 0 }];

export function top(stack: NavStack): ViewEntry {
  return stack[stack.length - 1] ?? stack[0];
}

export function push(stack: NavStack, entry: ViewEntry): NavStack {
  return [...stack, entry] as unknown as NavStack;
}

/** Pops one view; the root view stays. */
export function pop(stack: NavStack): NavStack {
  if (stack.length <= 1) return stack;
  return stack.slice(0, -1) as unknown as NavStack;
}

export function replaceTop(stack: NavStack, entry: ViewEntry): NavStack {
  return [...stack.slice(0, -1), entry] as unknown as NavStack;
}

export type TopLevelView = 'pods' | 'denials' | 'policies' | 'services' | 'lint' | 'map';

/** Jumps to a top-level list (`:pods`, `:denials`, `:policies`, `:map`): the stack becomes root + that view. */
export function jumpTo(stack: NavStack, view: TopLevelView): NavStack {
  if (view === 'pods') return [stack[0]];
  return [stack[0], { view, cursor: 0 }];
}
