import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  authzRow,
  diffAuthzRows,
  isInSync,
  formatAuthzCheckTable,
  layoutColumns,
  parseAuthzCheckTable,
  splitPolicyName,
} from '../../src/parsers/istioctl-authz-check.js';
import { parseEnvoyLogging, parseLevelSpec, loggingQueries } from '../../src/parsers/envoy-logging.js';

const expected = readFileSync(new URL('../fixtures/istioctl/authz-check-expected.txt', import.meta.url), 'utf8');

describe('parseAuthzCheckTable', () => {
  it('reads istioctl output and round-trips it byte for byte', () => {
    const table = parseAuthzCheckTable(expected);
    expect(table.issues).toEqual([]);
    expect(table.rows.map((r) => [r.action, r.name, r.namespace, r.rules])).toEqual([
      ['ALLOW', '_anonymous_match_nothing_', null, 1],
      ['ALLOW', 'httpbin', 'default', 1],
      ['CUSTOM', 'ext-authz', 'default', 1],
    ]);
    expect(formatAuthzCheckTable(table.rows)).toBe(expected);
  });

  it('reports text before the header and malformed rows with their line numbers', () => {
    const table = parseAuthzCheckTable(
      'Warning: something\nACTION AuthorizationPolicy RULES\nALLOW x.y one\nMAYBE a.b 1\n',
    );
    expect(table.rows).toEqual([]);
    expect(table.issues.map((i) => i.line)).toEqual([1, 3, 4]);
  });

  it('says when there is no header at all', () => {
    expect(parseAuthzCheckTable('Error: no pod\n').issues.at(-1)?.message).toMatch(/header/);
  });
});

describe('table layout', () => {
  it('pads every column but the last to the widest cell plus 3, like Go tabwriter', () => {
    expect(
      layoutColumns([
        ['a', 'bb', 'c'],
        ['dddd', 'e', 'f'],
      ]),
    ).toBe('a      bb   c\ndddd   e    f\n');
  });

  it('sorts DENY before ALLOW before LOG before CUSTOM, names in byte order', () => {
    const out = formatAuthzCheckTable([
      authzRow('CUSTOM', 'c.ns', 1),
      authzRow('LOG', 'l.ns', 1),
      authzRow('ALLOW', 'b.ns', 2),
      authzRow('ALLOW', 'B.ns', 1),
      authzRow('DENY', 'z.ns', 1),
    ]);
    expect(out.split('\n').map((l) => l.split(/\s+/)[1])).toEqual([
      'AuthorizationPolicy',
      'z.ns',
      'B.ns',
      'b.ns',
      'l.ns',
      'c.ns',
      undefined,
    ]);
  });

  it('splits names at the last dot', () => {
    expect(splitPolicyName('allow.v1.prod')).toEqual({ name: 'allow.v1', namespace: 'prod' });
  });
});

describe('diffAuthzRows (stale proxy config)', () => {
  it('lists policies missing on the proxy and policies the proxy still enforces', () => {
    const actual = [
      authzRow('ALLOW', '_anonymous_match_nothing_', 1),
      authzRow('DENY', 'old.ns', 1),
      authzRow('ALLOW', 'ok.ns', 1),
    ];
    const drift = diffAuthzRows(actual, [
      { action: 'ALLOW', namespace: 'ns', name: 'ok' },
      { action: 'ALLOW', namespace: 'ns', name: 'new' },
    ]);
    expect(drift.missingOnProxy).toEqual([{ action: 'ALLOW', namespace: 'ns', name: 'new' }]);
    expect(drift.unexpectedOnProxy.map((r) => r.policy)).toEqual(['old.ns']);
    expect(drift.rulesDiffer).toEqual([]);
  });

  it('notices a policy whose rule count changed but is not pushed yet', () => {
    const drift = diffAuthzRows(
      [authzRow('ALLOW', 'ok.ns', 1)],
      [{ action: 'ALLOW', namespace: 'ns', name: 'ok', rules: 2 }],
    );
    expect(drift.rulesDiffer).toEqual([
      { policy: { action: 'ALLOW', namespace: 'ns', name: 'ok', rules: 2 }, onProxy: 1 },
    ]);
    expect(isInSync(drift)).toBe(false);
    expect(
      isInSync(
        diffAuthzRows([authzRow('ALLOW', 'ok.ns', 2)], [{ action: 'ALLOW', namespace: 'ns', name: 'ok', rules: 2 }]),
      ),
    ).toBe(true);
  });
});

describe('envoy /logging', () => {
  it('reads istioctl proxy-config log output', () => {
    const text = readFileSync(new URL('../fixtures/istioctl/proxy-config-log.txt', import.meta.url), 'utf8');
    const parsed = parseEnvoyLogging(text);
    expect(parsed.issues).toEqual([]);
    expect(parsed.levels['rbac']).toBe('warning');
    expect(Object.keys(parsed.levels)).toHaveLength(6);
  });

  it('reports lines that are not logger lines', () => {
    expect(parseEnvoyLogging('active loggers:\n  rbac: loud\n').issues).toHaveLength(1);
  });

  it('parses level specs and rejects bad levels', () => {
    expect(parseLevelSpec('rbac:debug,jwt:warn').levels).toEqual({ rbac: 'debug', jwt: 'warning' });
    expect(parseLevelSpec('rbac:loud').error).toMatch(/bad log level/);
    expect(loggingQueries({ rbac: 'debug' })).toEqual(['rbac=debug']);
  });
});
