import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authzRowsFromConfigDump, parseConfigDumpText } from '../../src/parsers/envoy-config-dump.js';
import { formatAuthzCheckTable } from '../../src/parsers/istioctl-authz-check.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/istioctl/${name}`, import.meta.url), 'utf8');

function listenerDump(filters: unknown[]): Record<string, unknown> {
  return {
    configs: [
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
        dynamic_listeners: [{ name: 'virtualInbound', active_state: { listener: { filter_chains: [{ filters }] } } }],
      },
    ],
  };
}

const hcm = (httpFilters: unknown[]): unknown => ({
  name: 'envoy.filters.network.http_connection_manager',
  typed_config: { http_filters: httpFilters },
});

describe('authzRowsFromConfigDump', () => {
  it('prints exactly the table istioctl prints for the upstream fixture', () => {
    const { dump, issues } = parseConfigDumpText(fixture('configdump.json'));
    expect(issues).toEqual([]);
    const result = authzRowsFromConfigDump(dump ?? {});
    expect(result.issues).toEqual([]);
    expect(formatAuthzCheckTable(result.rows)).toBe(fixture('authz-check-expected.txt'));
  });

  it('reads the ?resource=dynamic_listeners form (one DynamicListener per config) the same way', () => {
    const full = parseConfigDumpText(fixture('configdump.json')).dump ?? {};
    const listenersDump = (full['configs'] as { dynamic_listeners?: unknown[] }[]).flatMap(
      (c) => c.dynamic_listeners ?? [],
    );
    const resourceForm = {
      configs: listenersDump.map((l) => ({
        '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump.DynamicListener',
        ...(l as object),
      })),
    };
    expect(formatAuthzCheckTable(authzRowsFromConfigDump(resourceForm).rows)).toBe(fixture('authz-check-expected.txt'));
  });

  it('counts distinct rule indexes per policy across filters and chains', () => {
    const rbac = (policies: string[], action?: string): unknown => ({
      name: 'envoy.filters.http.rbac',
      typed_config: { rules: { action, policies: Object.fromEntries(policies.map((p) => [p, {}])) } },
    });
    const dump = listenerDump([
      hcm([rbac(['ns[a]-policy[deny-x]-rule[0]', 'ns[a]-policy[deny-x]-rule[1]'], 'DENY')]),
      hcm([rbac(['ns[a]-policy[deny-x]-rule[1]'], 'DENY'), rbac(['ns[b]-policy[allow]-rule[0]'])]),
    ]);
    const rows = authzRowsFromConfigDump(dump).rows;
    expect(rows.map((r) => [r.action, r.policy, r.rules, r.namespace, r.name])).toEqual([
      ['DENY', 'deny-x.a', 2, 'a', 'deny-x'],
      ['ALLOW', 'allow.b', 1, 'b', 'allow'],
    ]);
  });

  it('lists a network RBAC filter with no policies as the anonymous match-nothing policy', () => {
    const dump = listenerDump([{ name: 'envoy.filters.network.rbac', typed_config: { rules: { action: 'DENY' } } }]);
    expect(authzRowsFromConfigDump(dump).rows).toMatchObject([
      { action: 'DENY', policy: '_anonymous_match_nothing_', rules: 1 },
    ]);
  });

  it('ignores dry-run shadow rules but lists CUSTOM shadow rules, including multi-provider names', () => {
    const dump = listenerDump([
      hcm([
        {
          name: 'envoy.filters.http.rbac',
          typed_config: {
            shadow_rules: { action: 'DENY', policies: { 'istio-ext-authz-opa-ns[x]-policy[ext]-rule[0]': {} } },
            shadow_rules_stat_prefix: 'istio_ext_authz_',
          },
        },
        {
          name: 'envoy.filters.http.rbac',
          typed_config: {
            rules: { action: 'DENY', policies: { 'ns[x]-policy[real]-rule[0]': {} } },
            shadow_rules: { action: 'DENY', policies: { 'ns[x]-policy[dry]-rule[0]': {} } },
            shadow_rules_stat_prefix: 'istio_dry_run_deny_',
          },
        },
      ]),
    ]);
    expect(authzRowsFromConfigDump(dump).rows.map((r) => `${r.action} ${r.policy}`)).toEqual([
      'DENY real.x',
      'CUSTOM ext.x',
    ]);
  });

  it('ignores static listeners and reports a dump without dynamic listeners', () => {
    const dump = {
      configs: [{ '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump', static_listeners: [{}] }],
    };
    const result = authzRowsFromConfigDump(dump);
    expect(result.rows).toEqual([]);
    expect(result.issues[0]?.message).toMatch(/no dynamic listeners/);
  });

  it('reports policy names Istio did not generate instead of dropping them silently', () => {
    const dump = listenerDump([
      { name: 'envoy.filters.network.rbac', typed_config: { rules: { policies: { 'hand-written': {} } } } },
    ]);
    expect(authzRowsFromConfigDump(dump).issues[0]?.message).toContain('hand-written');
  });

  it('turns a non-JSON body into an issue', () => {
    expect(parseConfigDumpText('<html>').issues[0]?.message).toMatch(/not valid JSON/);
    expect(parseConfigDumpText('[]').issues[0]?.message).toMatch(/not a JSON object/);
  });
});
