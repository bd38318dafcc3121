import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixture, hasStackTrace, runCli } from './cli-harness.js';

beforeAll(() => {
  ensureBuilt();
}, 120_000);

const lint = (...args: string[]) => runCli(['lint', ...args]);

describe('lint errors: file, line, object, field and reason; exit 2', () => {
  const r = (() => {
    let cached: ReturnType<typeof runCli> | null = null;
    return () => (cached ??= lint('--from', fixture('lint-errors.yaml')));
  })();

  it('exits 2 without a stack trace', () => {
    expect(r().code).toBe(2);
    expect(hasStackTrace(r().stderr)).toBe(false);
  });

  it.each([
    ['invalid-cidr', 6, 'shop/bad-cidr', 'spec.ingress[0].from[0].ipBlock.cidr'],
    ['except-outside-cidr', 13, 'shop/except-outside', 'spec.ingress[0].from[0].ipBlock.except[0]'],
    ['invalid-selector', 19, 'shop/bad-operator', 'spec.podSelector.matchExpressions[0].operator'],
    ['invalid-label', 25, 'shop/bad-label-key', 'spec.podSelector.matchLabels'],
    ['invalid-label', 31, 'shop/bad-label-value', 'spec.podSelector.matchLabels'],
    ['invalid-port', 38, 'shop/endport-below', 'spec.ingress[0].ports[0].endPort'],
    ['invalid-port', 45, 'shop/endport-named', 'spec.ingress[0].ports[0].endPort'],
    ['empty-peer', 60, 'shop/empty-peer', 'spec.ingress[0].from[0]'],
    ['invalid-peer', 67, 'shop/ipblock-and-selector', 'spec.ingress[0].from[0]'],
  ])('%s at line %i of %s (%s)', (code, line, object, field) => {
    const wanted = `error ${code}: ${'test/fixtures/manifests/cli/lint-errors.yaml'}:${line}: NetworkPolicy ${object}: ${field}: `;
    expect(
      r()
        .stderr.split('\n')
        .some((l) => l.startsWith(wanted)),
    ).toBe(true);
  });

  it('a named port with an egress ipBlock is a warning: the API server accepts it (validation.go checks port and peer apart)', () => {
    expect(r().stdout).toMatch(
      /^warning named-port-with-ipblock: \S*lint-errors\.yaml:53: NetworkPolicy shop\/named-ipblock: spec\.egress\[0\]\.ports: /m,
    );
  });

  it('duplicate objects name both places', () => {
    expect(r().stderr).toMatch(
      /error duplicate-object: \S*lint-errors\.yaml:69: NetworkPolicy shop\/bad-cidr is defined twice \(first at \S*lint-errors\.yaml:1\)/,
    );
  });

  it('ends with a summary counting the errors', () => {
    expect(r().stderr).toMatch(/10 error/);
  });
});

describe('lint -o json', () => {
  it('prints every finding as one JSON object with object, field and loc', () => {
    const r = lint('--from', fixture('lint-errors.yaml'), '-o', 'json');
    expect(r.code).toBe(2);
    const findings = `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(findings).toHaveLength(11);
    expect(findings.find((f) => f['code'] === 'invalid-cidr')).toMatchObject({
      severity: 'error',
      code: 'invalid-cidr',
      object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'bad-cidr' },
      field: 'spec.ingress[0].from[0].ipBlock.cidr',
      loc: { file: 'test/fixtures/manifests/cli/lint-errors.yaml', line: 6 },
    });
  });
});

describe('lint refusals, warnings and info', () => {
  it('two ANPs with one priority are refused: exit 2', () => {
    const r = lint('--from', fixture('anp-same-priority.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^refused anp-same-priority: .*first.*second/m);
  });

  it("seed 001's frontend-backend policy warns peer-or-not-and and exits 0", () => {
    const r = lint('--from', fixture('../seed-001-frontend-backend.yaml'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^warning peer-or-not-and: \S*seed-001-frontend-backend\.yaml:2: NetworkPolicy default\/frontend-backend: spec\.ingress\[0\]\.from /m,
    );
  });

  it('--failure-threshold warning turns the warning into exit 1', () => {
    expect(lint('--from', fixture('../seed-001-frontend-backend.yaml'), '--failure-threshold', 'warning').code).toBe(1);
  });

  it('a YAML syntax error gives file, line and column', () => {
    const r = lint('--from', fixture('syntax-error.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error yaml-syntax: \S*syntax-error\.yaml:5:11: bad indentation/m);
  });

  it('--verbose lists unknown kinds', () => {
    const r = lint('--from', fixture('unknown-kind.yaml'), '--verbose');
    expect(r.code).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('Widget (example.com/v1)');
  });

  it('an unknown kind is an info finding: counted in the summary and failing --failure-threshold info', () => {
    const r = lint('--from', fixture('unknown-kind.yaml'), '--failure-threshold', 'info');
    expect(r.stderr).toMatch(/1 info/);
    expect(r.code).toBe(1);
  });

  it('clean manifests exit 0', () => {
    expect(lint('--from', fixture('world.yaml')).code).toBe(0);
  });

  it('a billion-laughs file is refused as an error without a crash', () => {
    const r = lint('--from', fixture('../billion-laughs.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error yaml-alias-bomb: /m);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('IST codes beside ours (istioctl analyze users recognise them)', () => {
  const file = 'test/fixtures/manifests/istio-validation/security.yaml';

  it('text output: "warning CODE (IST0xxx): ..."', () => {
    const r = lint('--from', file, '-n', 'default');
    expect(r.stdout).toMatch(/^warning deny-http-only \(IST0133\): .*deny-delete-http-only/m);
    // our own codes without an istioctl counterpart carry none
    expect(r.stderr).toMatch(/^error unknown-when-key: /m);
  });

  it('JSON output: an "ist" field beside the code', () => {
    const lines = lint('--from', file, '-n', 'default', '-o', 'json')
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { code: string; ist?: string });
    expect(lines.find((l) => l.code === 'deny-http-only')?.ist).toBe('IST0133');
    // a namespace-wide policy in a namespace without pods: IST0127, as istioctl analyze reports it
    expect(lines.filter((l) => l.code === 'no-matching-workloads').map((l) => l.ist)).toContain('IST0127');
  });
});
