import { beforeAll, describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { ensureBuilt, fixture, hasStackTrace, runCli } from './cli-harness.js';

const WORLD = fixture('world.yaml');

beforeAll(() => {
  ensureBuilt();
}, 120_000);

const TOP_KEYS = [
  'apiVersion',
  'kind',
  'id',
  'source',
  'destination',
  'request',
  'verdict',
  'conditions',
  'assumptions',
  'decidedBy',
  'expectedResponse',
  'steps',
  'nearestMiss',
  'findings',
  'fix',
];
const PEER_KEYS = [
  'namespace',
  'name',
  'kind',
  'workload',
  'resolvedFrom',
  'serviceAccount',
  'principal',
  'sidecar',
  'ip',
];
const REQUEST_KEYS = ['protocol', 'port', 'servicePort', 'appProtocol', 'http', 'clientTls', 'jwt', 'now'];

function explainJson(args: string[]): { code: number | null; body: Record<string, unknown> } {
  const r = runCli(['explain', ...args, '--from', WORLD, '-o', 'json']);
  return { code: r.code, body: JSON.parse(r.stdout) as Record<string, unknown> };
}

describe('-o json', () => {
  const denied = () => explainJson(['tools/debug', 'shop/backend']);

  it('has the DESIGN shape: apiVersion, kind and every top-level key', () => {
    const { body } = denied();
    expect(body['apiVersion']).toBe('meshdbg.dev/v1alpha1');
    expect(body['kind']).toBe('Explanation');
    for (const key of TOP_KEYS) expect(body).toHaveProperty(key);
  });

  it('source and destination carry every peer key', () => {
    const { body } = denied();
    for (const side of ['source', 'destination']) for (const key of PEER_KEYS) expect(body[side]).toHaveProperty(key);
  });

  it('request carries every key, with the Service port mapping', () => {
    const request = denied().body['request'] as Record<string, unknown>;
    for (const key of REQUEST_KEYS) expect(request).toHaveProperty(key);
    expect(request).toMatchObject({ protocol: 'TCP', port: 8080, servicePort: 80 });
  });

  it('a denied flow: verdict, decidedBy, expectedResponse and all eight steps', () => {
    const { code, body } = denied();
    expect(code).toBe(1);
    expect(body['verdict']).toBe('denied');
    expect(body['decidedBy']).toMatchObject({
      layer: 'networkpolicy-ingress',
      policy: { kind: 'NetworkPolicy', namespace: 'shop', name: 'backend-from-frontend', rule: null },
    });
    expect((body['expectedResponse'] as { status: unknown }).status).toBe('connect-timeout');
    const steps = body['steps'] as { layer: string; effective: boolean }[];
    expect(steps.map((s) => s.layer)).toEqual([
      'networkpolicy-egress',
      'networkpolicy-ingress',
      'mesh',
      'mtls',
      'authz-custom',
      'jwt',
      'authz-deny',
      'authz-allow',
    ]);
    expect(steps.filter((s) => !s.effective).map((s) => s.layer)).toEqual([
      'mesh',
      'mtls',
      'authz-custom',
      'jwt',
      'authz-deny',
      'authz-allow',
    ]);
  });

  it('--protocol is case-insensitive on input and uppercase in output', () => {
    const { body } = explainJson(['shop/frontend', 'shop/backend', '--protocol', 'tcp']);
    expect((body['request'] as { protocol: string }).protocol).toBe('TCP');
  });

  it('--port picks the Service port; --cni changes the expected response', () => {
    const { body } = explainJson(['tools/debug', 'shop/backend', '--port', '80', '--cni', 'kube-router']);
    expect((body['expectedResponse'] as { status: unknown }).status).toBe('connection-refused');
  });

  it('an unknown peer prints the Error object on exit 2', () => {
    const r = runCli(['explain', 'tools/debg', 'shop/backend', '--from', WORLD, '-o', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'Error', code: 'unknown-peer', candidates: ['tools/debug'] });
  });
});

describe('-o yaml', () => {
  it('prints the same object as YAML', () => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', WORLD, '-o', 'yaml']);
    expect(r.code).toBe(0);
    const doc = yaml.load(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ apiVersion: 'meshdbg.dev/v1alpha1', kind: 'Explanation', verdict: 'allowed' });
    expect(doc['decidedBy']).toMatchObject({
      layer: 'networkpolicy-ingress',
      policy: { ruleRef: 'NetworkPolicy:shop/backend-from-frontend:ingress[0]' },
    });
  });
});

describe('--batch', () => {
  const lines = [
    '{"id": "q1", "src": "shop/frontend", "dst": "shop/backend", "port": 80}',
    '{"id": "q2", "src": "tools/debg", "dst": "shop/backend", "port": 80}',
    'this is not json',
    '{"id": "q4", "src": {"namespace": "tools", "name": "debug"}, "dst": "shop/backend", "port": 80}',
    '{"id": "q5", "src": "tools/debug", "dst": {"ip": "203.0.113.1"}, "port": 443, "protocol": "tcp"}',
  ];
  const run = (input: string) => runCli(['explain', '--batch', '-', '--from', WORLD, '-o', 'json'], { input });

  it('answers every line in order, bad lines as Error objects with their id', () => {
    const r = run(`${lines.join('\n')}\n`);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => [o['kind'], o['id']])).toEqual([
      ['Explanation', 'q1'],
      ['Error', 'q2'],
      ['Error', null],
      ['Explanation', 'q4'],
      ['Explanation', 'q5'],
    ]);
    expect(out[1]).toMatchObject({ code: 'unknown-peer', candidates: ['tools/debug'] });
    expect(out[0]?.['verdict']).toBe('allowed');
    expect(out[3]?.['verdict']).toBe('denied');
  });

  it('exits 2 after all lines when any line was an error, reporting it on stderr', () => {
    const r = run(`${lines.join('\n')}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not be answered/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('a line without src is an Error object carrying its id (bad-query)', () => {
    const r = run('{"id": "q6", "dst": "shop/backend", "port": 80}\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'Error', id: 'q6', code: 'bad-query' });
    expect(r.code).toBe(2);
  });

  it('a line with an unknown key is an Error object naming it', () => {
    const r = run('{"id": "t", "src": "shop/frontend", "dst": "shop/backend", "port": 80, "protocl": "udp"}\n');
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'Error',
      id: 't',
      code: 'bad-query',
      message: expect.stringContaining('protocl'),
    });
  });

  it('ids are echoed back as given (a number stays a number)', () => {
    const r = run('{"id": 7, "src": "shop/frontend", "dst": "shop/backend", "port": 80}\n');
    expect(JSON.parse(r.stdout).id).toBe(7);
  });

  it('exits 0 when every line produced a result, whatever the verdicts', () => {
    const r = run(`${lines[0]}\n${lines[3]}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('reads the batch from a file', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = `${mkdtempSync(`${tmpdir()}/meshdbg-batch-`)}/q.jsonl`;
    writeFileSync(file, `${lines[0]}\n`);
    const r = runCli(['explain', '--batch', file, '--from', WORLD, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'q1', verdict: 'allowed' });
  });

  it('--batch - with --from - is refused up front (stdin cannot be both), exit 2', () => {
    const r = runCli(['explain', '--batch', '-', '--from', '-', '-o', 'json'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stdin/);
  });

  it.each(['yaml', 'text'])('--batch with -o %s is refused (batch output is JSON lines), exit 2', (format) => {
    const r = runCli(['explain', '--batch', '-', '--from', WORLD, '-o', format], { input: `${lines[0]}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(format);
  });

  it('exits 2 when the manifests are unreadable', () => {
    const r = runCli(['explain', '--batch', '-', '--from', fixture('invalid.yaml'), '-o', 'json'], {
      input: `${lines[0]}\n`,
    });
    expect(r.code).toBe(2);
  });
});
