/**
 * THE list of views. Each view's module declares its descriptor (crumb, `:` aliases, rows or
 * document, how it draws, its keys with handlers and disabled reasons); dispatch, footer,
 * help, breadcrumbs, the `:` command line and docs/keys.md read them from here.
 * Adding a view: its module, plus one line here.
 */
import type { ViewName } from '../state/navigation.js';
import type { AnyViewDescriptor, ViewAlias, ViewDescriptor } from './descriptor.js';
import { lintView } from './lint-view.js';
import { namespacesView } from './namespaces-view.js';

type Registry = { readonly [V in ViewName]?: ViewDescriptor<V> };

let table: Registry | null = null;

/** Built on first use, so that modules the views import may import the registry too. */
function registry(): Registry {
  table ??= { lint: lintView, namespaces: namespacesView };
  return table;
}

export function viewDescriptor<V extends ViewName>(view: V): ViewDescriptor<V> | undefined {
  return registry()[view] as ViewDescriptor<V> | undefined;
}

/** Every registered view, in registry order. */
export function allViews(): readonly AnyViewDescriptor[] {
  return Object.values(registry()) as AnyViewDescriptor[];
}

/** The view a `:` word opens, with the alias (its preset filter), or null. */
export function viewOfAlias(word: string): { view: AnyViewDescriptor; alias: ViewAlias } | null {
  const wanted = word.toLowerCase();
  for (const view of allViews()) {
    const alias = view.aliases.find((a) => a.word === wanted);
    if (alias) return { view, alias };
  }
  return null;
}
