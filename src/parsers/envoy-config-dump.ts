/**
 * Envoy admin `config_dump` (JSON; `?resource=dynamic_listeners` or the full dump)
 * -> the rows `istioctl x authz check` prints. Pure.
 *
 * Semantics (istioctl/pkg/authz): only dynamic listeners count; every RBAC filter
 * (HTTP filters inside the HCM, and network RBAC filters) contributes its policies
 * under its action; a filter with no policies counts as `_anonymous_match_nothing_`
 * rule 0; a policy's RULES is the number of distinct rule indexes seen. CUSTOM
 * policies live in shadow rules named `istio-ext-authz-...`; dry-run shadow rules
 * are not enforced and not listed.
 */
import { parseIstioRuleRef } from '../model/rule-ref.js';
import { ANONYMOUS_POLICY, authzRow, sortAuthzRows } from './istioctl-authz-check.js';
import type { AuthzCheckAction, AuthzTableRow, ParseIssue } from './istioctl-authz-check.js';

const HCM_NAMES = new Set(['envoy.filters.network.http_connection_manager', 'envoy.http_connection_manager']);
const HTTP_RBAC = 'envoy.filters.http.rbac';
const NETWORK_RBAC = 'envoy.filters.network.rbac';
const EXT_AUTHZ_PREFIX = 'istio_ext_authz';

type Json = Record<string, unknown>;

function obj(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export interface ConfigDumpAuthz {
  readonly rows: readonly AuthzTableRow[];
  readonly issues: readonly ParseIssue[];
}

/** Parses the admin endpoint's body; a body that is not JSON is one issue, not a throw. */
export function parseConfigDumpText(text: string): { dump: Json | null; issues: ParseIssue[] } {
  try {
    const dump = obj(JSON.parse(text));
    if (!dump) return { dump: null, issues: [{ line: 1, message: 'config_dump is not a JSON object' }] };
    return { dump, issues: [] };
  } catch (err) {
    return { dump: null, issues: [{ line: 1, message: `config_dump is not valid JSON: ${(err as Error).message}` }] };
  }
}

/** The `listener` objects of every dynamic listener in the dump (active state). */
export function dynamicListeners(dump: Json): Json[] {
  const out: Json[] = [];
  for (const config of arr(dump['configs'])) {
    const c = obj(config);
    const type = String(c?.['@type'] ?? '');
    if (c && type.endsWith('ListenersConfigDump.DynamicListener')) {
      // `?resource=dynamic_listeners` returns the repeated field itself, one entry per listener
      const listener = obj(obj(c['active_state'])?.['listener']);
      if (listener) out.push(listener);
      continue;
    }
    if (!c || !type.endsWith('ListenersConfigDump')) continue;
    for (const dl of arr(c['dynamic_listeners'])) {
      const listener = obj(obj(obj(dl)?.['active_state'])?.['listener']);
      if (listener) out.push(listener);
    }
  }
  return out;
}

/** Every RBAC filter config (typed_config) inside a listener, HTTP and network. */
export function rbacFilters(listener: Json): Json[] {
  const out: Json[] = [];
  for (const fc of arr(listener['filter_chains'])) {
    for (const f of arr(obj(fc)?.['filters'])) {
      const filter = obj(f);
      const name = String(filter?.['name'] ?? '');
      const config = obj(filter?.['typed_config']);
      if (!config) continue;
      if (name === NETWORK_RBAC) out.push(config);
      if (!HCM_NAMES.has(name)) continue;
      for (const hf of arr(config['http_filters'])) {
        const httpFilter = obj(hf);
        const typed = obj(httpFilter?.['typed_config']);
        if (httpFilter?.['name'] === HTTP_RBAC && typed) out.push(typed);
      }
    }
  }
  return out;
}

function actionOf(rules: Json | null): AuthzCheckAction {
  const action = rules?.['action'];
  if (action === 'DENY' || action === 'LOG') return action;
  return 'ALLOW';
}

interface FilterPolicies {
  readonly action: AuthzCheckAction;
  readonly names: readonly string[];
}

/** The action and policy names one RBAC filter enforces. */
export function filterPolicies(config: Json): FilterPolicies {
  const shadowPrefix = String(config['shadow_rules_stat_prefix'] ?? '');
  const shadow = obj(config['shadow_rules']);
  if (shadow && shadowPrefix.startsWith(EXT_AUTHZ_PREFIX)) {
    return { action: 'CUSTOM', names: Object.keys(obj(shadow['policies']) ?? {}) };
  }
  const rules = obj(config['rules']);
  return { action: actionOf(rules), names: Object.keys(obj(rules?.['policies']) ?? {}) };
}

class RowCollector {
  private readonly actions = new Map<AuthzCheckAction, Set<string>>();
  private readonly rulesByPolicy = new Map<string, Set<string>>();

  add(action: AuthzCheckAction, policy: string, rule: string): void {
    const names = this.actions.get(action) ?? new Set<string>();
    names.add(policy);
    this.actions.set(action, names);
    const rules = this.rulesByPolicy.get(policy) ?? new Set<string>();
    rules.add(rule);
    this.rulesByPolicy.set(policy, rules);
  }

  rows(): AuthzTableRow[] {
    const rows: AuthzTableRow[] = [];
    for (const [action, names] of this.actions) {
      for (const policy of names) rows.push(authzRow(action, policy, this.rulesByPolicy.get(policy)?.size ?? 0));
    }
    return sortAuthzRows(rows);
  }
}

/** The authz-check rows for a parsed config dump, identical to istioctl's. */
export function authzRowsFromConfigDump(dump: Json): ConfigDumpAuthz {
  const collector = new RowCollector();
  const issues: ParseIssue[] = [];
  const listeners = dynamicListeners(dump);
  if (listeners.length === 0) issues.push({ line: 1, message: 'config_dump has no dynamic listeners' });
  for (const listener of listeners) {
    for (const config of rbacFilters(listener)) {
      const { action, names } = filterPolicies(config);
      if (names.length === 0) collector.add(action, ANONYMOUS_POLICY, '0');
      for (const id of names) {
        const ref = parseIstioRuleRef(id);
        if (!ref) {
          issues.push({ line: 1, message: `RBAC policy name not generated by Istio: ${id}` });
          continue;
        }
        collector.add(action, `${ref.name}.${ref.namespace}`, String(ref.rule));
      }
    }
  }
  return { rows: collector.rows(), issues };
}
