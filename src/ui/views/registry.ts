/**
 * THE list of views. Each view's module declares its descriptor (crumb, `:` aliases, rows or
 * document, how it draws, its keys with handlers and disabled reasons); dispatch, footer,
 * help, breadcrumbs, the `:` command line and docs/keys.md read them from here.
 * Adding a view: its module, plus its line here (the mapped type below insists on one per view).
 */
import type { ViewName } from '../state/navigation.js';
import type { PodsEntry } from './pods-view.js';
import type { PodEntry } from './pod-detail-view.js';
import type { DenialsEntry } from './denials-view.js';
import type { DenialEntry } from './denial-detail-view.js';
import type { PoliciesEntry } from './policies-view.js';
import type { MapEntry } from './map-view.js';
import type { PolicyEntry } from './policy-detail-view.js';
import type { LogsEntry } from './logs-view.js';
import type { ExplainEntry } from './explain-view.js';
import type { YamlEntry } from './yaml-text-view.js';
import type { ServicesEntry } from './services-view.js';
import type { ServiceEntry } from './service-detail-view.js';
import type { NamespacesEntry } from './namespaces-view.js';
import type { LintEntry } from './lint-view.js';
import type { HelpEntry } from './help-view.js';
import type { AnyViewDescriptor, ViewAlias, ViewDescriptor } from './descriptor.js';
import { denialDetailView } from './denial-detail-view.js';
import { denialsView } from './denials-view.js';
import { explainView } from './explain-view.js';
import { helpView } from './help-view.js';
import { lintView } from './lint-view.js';
import { logsView } from './logs-view.js';
import { mapView } from './map-view.js';
import { namespacesView } from './namespaces-view.js';
import { podDetailView } from './pod-detail-view.js';
import { podsView } from './pods-view.js';
import { policiesView } from './policies-view.js';
import { policyDetailView } from './policy-detail-view.js';
import { serviceDetailView } from './service-detail-view.js';
import { servicesView } from './services-view.js';
import { yamlTextView } from './yaml-text-view.js';

/** Every view's navigation entry (each declared in its view's module). */
export type ViewEntryBody =
  | PodsEntry
  | PodEntry
  | DenialsEntry
  | DenialEntry
  | PoliciesEntry
  | MapEntry
  | PolicyEntry
  | LogsEntry
  | ExplainEntry
  | YamlEntry
  | ServicesEntry
  | ServiceEntry
  | NamespacesEntry
  | LintEntry
  | HelpEntry;

type Registry = { readonly [V in ViewName]: ViewDescriptor<V> };

/**
 * No view module imports this one (nor anything that does): the views get what they need of
 * the others handed in (`KeyContext.rows`, a document's `views`), so the table is a plain
 * constant: an import cycle would leave it half-built while the modules load
 * (test/tooling/import-cycles.test.ts fails on one).
 */
const REGISTRY: Registry = {
  pods: podsView,
  pod: podDetailView,
  denials: denialsView,
  denial: denialDetailView,
  policies: policiesView,
  policy: policyDetailView,
  map: mapView,
  yaml: yamlTextView,
  services: servicesView,
  service: serviceDetailView,
  namespaces: namespacesView,
  lint: lintView,
  logs: logsView,
  explain: explainView,
  help: helpView,
};

export function viewDescriptor<V extends ViewName>(view: V): ViewDescriptor<V> {
  return REGISTRY[view] as ViewDescriptor<V>;
}

/** Every view, in registry order (docs/keys.md follows it). */
export function allViews(): readonly AnyViewDescriptor[] {
  return Object.values(REGISTRY) as AnyViewDescriptor[];
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
