/** What a view shows, from its descriptor: crumbs, row identities, document lines, cursor range, selected row. */
import { wrapDoc, type DocLine } from '../docs/doc.js';
import type { AppState, UiData } from '../state/app-state.js';
import { top, type NavStack, type ViewEntry } from '../state/navigation.js';
import { selectedIndexBy } from '../state/selection.js';
import type { AllViews } from './descriptor.js';
import { viewDescriptor } from './registry.js';

export function breadcrumbs(stack: NavStack): string[] {
  return stack.map((entry) => viewDescriptor(entry.view).crumb(entry));
}

/** Identity keys of the rows a list view shows, in display order; null for document views. */
export function rowKeys(data: UiData, state: AppState, entry: ViewEntry): readonly string[] | null {
  return viewDescriptor(entry.view).rows?.(data, state, entry) ?? null;
}

/** Where the selected object of any view is now (see state/selection.ts). */
export function selectedIndex(data: UiData, state: AppState, entry: ViewEntry): number {
  return selectedIndexBy(rowKeys, data, state, entry);
}

/** The document a view shows, wrapped to the terminal width; empty for list views. */
export function documentOf(data: UiData, state: AppState, entry: ViewEntry, views: AllViews): readonly DocLine[] {
  return wrapDoc(viewDescriptor(entry.view).document?.(data, state, entry, views) ?? [], state.width);
}

/** How many rows the cursor moves over in the top view. */
export function rowCount(data: UiData, state: AppState, views: AllViews): number {
  const entry = top(state.stack);
  const view = viewDescriptor(entry.view);
  if (view.cursorRange) return view.cursorRange(data, state, entry);
  if (view.rows) return view.rows(data, state, entry).length;
  return documentOf(data, state, entry, views).length;
}
