/**
 * The view stack: Enter pushes, Esc pops, breadcrumbs render from it.
 * Each entry carries its own cursor (selected row, or scroll offset for documents).
 * List entries also carry the identity of the selected row (see `ViewEntry`).
 */
import type { ViewEntryBody } from '../views/registry.js';

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

/** A view with nothing but its cursor in its entry (a top-level list), found by name. */
type BareView = {
  [K in ViewName]: { readonly view: K; readonly cursor: number } extends EntryBodyOf<K> ? K : never;
}[ViewName];
type EntryBodyOf<K extends ViewName> = Extract<ViewEntryBody, { readonly view: K }>;

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

/** Jumps to a top-level list (`:pods`, `:denials`, `:policies`, `:map`): the stack becomes root + that view. */
export function jumpTo(stack: NavStack, view: BareView): NavStack {
  if (view === stack[0].view) return [stack[0]];
  return [stack[0], { view, cursor: 0 } as ViewEntry];
}
