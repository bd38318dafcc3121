/**
 * What a view declares about itself, in its own module: how it is named (crumb, `:` aliases),
 * what it shows (row identities or a document, and how it draws), how it opens, and its keys.
 * Each key carries its handler and, when it cannot act here, the reason, as lazygit's bindings
 * do (jesseduffield/lazygit: pkg/gui/types/keybindings.go, `Binding.Handler` and
 * `GetDisabledReason`). The registry (`registry.ts`) lists the views; everything generic
 * (dispatch, footer, help, breadcrumbs, docs/keys.md) reads them from there.
 */
import type { ReactElement } from 'react';
import type { DocLine } from '../docs/doc.js';
import type { Category } from '../keymap.js';
import type { AppState, UiData } from '../state/app-state.js';
import type { ViewEntry, ViewName } from '../state/navigation.js';
import type { RowLookup } from '../state/selection.js';

type EntryMap = { readonly [E in ViewEntry as E['view']]: E };

/** The navigation entry of view `V` (an indexed access, so `ViewKey<'lint'>` accepts a key for any view). */
export type EntryOf<V extends ViewName> = EntryMap[V];

/** What a key handler and its disabled reason see. */
export interface KeyContext<V extends ViewName = ViewName> {
  readonly state: AppState;
  readonly data: UiData;
  readonly entry: EntryOf<V>;
  /** the key as pressed (normalized), for keys bound to several letters (Shift+column sorts) */
  readonly key: string;
  /** any view's rows, from the registry (a view module importing the registry would close an import cycle) */
  readonly rows: RowLookup;
}

export interface ViewKey<V extends ViewName = ViewName> {
  /** unique within the view; tests press keys by it */
  readonly id: string;
  /** normalized key names (see `normalizeKeys`) */
  readonly keys: readonly string[];
  readonly description: string;
  /** footer label; keys without one are listed in help only */
  readonly short?: string;
  readonly category: Category;
  /** a write to the cluster (or the simulator): marked in hints, hidden with --readonly */
  readonly danger?: boolean;
  readonly run: (ctx: KeyContext<V>) => AppState;
  /** why the key cannot act now (null or absent: it can); shown instead of acting */
  readonly disabled?: (ctx: KeyContext<V>) => string | null;
}

export interface ViewProps<V extends ViewName> {
  readonly data: UiData;
  readonly state: AppState;
  readonly entry: EntryOf<V>;
  /** the selected row (list views) or the scroll offset (documents) */
  readonly cursor: number;
  readonly width: number;
  readonly height: number;
}

/** A `:` word that opens the view (`:po`, `:netpol`); `filter` presets the view's filter. */
export interface ViewAlias {
  readonly word: string;
  readonly filter?: string;
}

export interface ViewDescriptor<V extends ViewName> {
  readonly id: V;
  /** heading in help and docs/keys.md */
  readonly title: string;
  readonly crumb: (entry: EntryOf<V>) => string;
  /** `:` words that open the view; `open` does it */
  readonly aliases: readonly ViewAlias[];
  readonly open?: (state: AppState, data: UiData, alias: ViewAlias) => AppState;
  /** list views: the identity of each shown row, in display order (selection follows it) */
  readonly rows?: (data: UiData, state: AppState, entry: EntryOf<V>) => readonly string[];
  /** document views: the lines shown (unwrapped); `views` answers for the other views (help lists their keys) */
  readonly document?: (data: UiData, state: AppState, entry: EntryOf<V>, views: AllViews) => readonly DocLine[];
  /** how many positions the cursor moves over when that is neither rows nor document lines */
  readonly cursorRange?: (data: UiData, state: AppState, entry: EntryOf<V>) => number;
  /** draws the view; absent: the document, scrolled */
  readonly render?: (props: ViewProps<V>) => ReactElement;
  readonly keys: readonly ViewKey<V>[];
  /**
   * A view that takes typed text (the explain form): while it does, only its own keys act and
   * any other single character goes to `typeText`; `textHint` is what the footer says instead.
   */
  readonly textInput?: {
    readonly active: (entry: EntryOf<V>) => boolean;
    /** the keys while it takes text (nothing else acts) */
    readonly keys: readonly ViewKey<V>[];
    readonly typeText: (ctx: KeyContext<V>) => AppState;
    readonly hint: (entry: EntryOf<V>) => string;
  };
}

/** A descriptor of some view (the registry's element type). */
export type AnyViewDescriptor = { readonly [V in ViewName]: ViewDescriptor<V> }[ViewName];

/** Keys under a heading, as help and the footer list them. */
export interface KeySection {
  readonly title: string;
  readonly keys: readonly ViewKey[];
}

/**
 * What a document may ask of all the views: the keys that can act in the top view of a state
 * and every view's descriptor. views/view-keys.ts `ALL_VIEWS` hands it in from the registry,
 * since a view module importing the registry would close an import cycle.
 */
export interface AllViews {
  readonly actingSections: (state: AppState, data: UiData) => readonly KeySection[];
  readonly list: () => readonly AnyViewDescriptor[];
}

/** A table leaves its last line to the header row. */
export function tableProps<P extends { readonly height: number }>(props: P): P {
  return { ...props, height: Math.max(1, props.height - 1) };
}
