/**
 * `meshdbg authz-check POD` on a live cluster and `--from` drift. The proxy side is the istioctl
 * stand-in (test/bin/istioctl: real `istioctl x authz check` output recorded from istio/istio's
 * istioctl/pkg/authz testdata); the kubeconfig names a context only (nothing dials the server).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runCli, unreachableKubeconfig } from './cli-harness.js';

beforeAll(() => {
  ensureBuilt();
}, 120_000);

const { kubeconfig, dir } = unreachableKubeconfig('meshdbg-authz-check-');
const log = join(dir, 'istioctl.log');
const env = {
  PATH: `${join(ROOT, 'test/bin')}${delimiter}${process.env['PATH'] ?? ''}`,
  ISTIOCTL_STANDIN_LOG: log,
};
const manifests = join(ROOT, 'test/fixtures/authz-check/httpbin-ext-authz.yaml');
const expected = readFileSync(join(ROOT, 'test/fixtures/istioctl/authz-check-expected.txt'), 'utf8');
const calls = () =>
  readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string[])
    .filter((a) => a[0] === 'x');

describe('meshdbg authz-check POD (live)', () => {
  it("prints the proxy's table as istioctl does, asking istioctl for POD.NAMESPACE in the kubeconfig's context", () => {
    const r = runCli(['authz-check', 'httpbin-7b5b8c8c8-abcde.default', '--kubeconfig', kubeconfig], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
    expect(calls().at(-1)).toEqual([
      'x',
      'authz',
      'check',
      'httpbin-7b5b8c8c8-abcde.default',
      '--kubeconfig',
      kubeconfig,
      '--context',
      'test',
    ]);
  });

  it('-n and NAMESPACE/POD name the namespace too', () => {
    runCli(['authz-check', 'httpbin-x', '-n', 'web', '--kubeconfig', kubeconfig], { env });
    expect(calls().at(-1)?.[3]).toBe('httpbin-x.web');
    runCli(['authz-check', 'web/httpbin-y', '--kubeconfig', kubeconfig], { env });
    expect(calls().at(-1)?.[3]).toBe('httpbin-y.web');
  });

  it('--from: in sync with manifests that give the pod the same policies (exit 0)', () => {
    const r = runCli(
      ['authz-check', 'httpbin-7b5b8c8c8-abcde.default', '--kubeconfig', kubeconfig, '--from', manifests],
      {
        env,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${expected}\nin sync: the proxy enforces the AuthorizationPolicies --from gives default/httpbin-7b5b8c8c8-abcde\n`,
    );
  });

  it('--from: drift when the manifests lost a policy or changed a rule count (exit 1, -o json too)', () => {
    const changed = join(dir, 'changed.yaml');
    writeFileSync(
      changed,
      readFileSync(manifests, 'utf8')
        .replace(
          /\n---\napiVersion: security.istio.io\/v1\nkind: AuthorizationPolicy\nmetadata: \{name: ext-authz[\s\S]*$/,
          '\n',
        )
        .replace(
          '  - to: [{operation: {methods: ["GET"]}}]',
          '  - to: [{operation: {methods: ["GET"]}}]\n  - to: [{operation: {methods: ["POST"]}}]',
        ),
    );
    const r = runCli(
      ['authz-check', 'default/httpbin-7b5b8c8c8-abcde', '--kubeconfig', kubeconfig, '--from', changed],
      { env },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('proxy still enforces CUSTOM ext-authz.default, which the cluster no longer has');
    expect(r.stdout).toContain('ALLOW httpbin.default: proxy has 1 rules, the cluster 2');
    const j = runCli(
      ['authz-check', 'httpbin-7b5b8c8c8-abcde.default', '--kubeconfig', kubeconfig, '--from', changed, '-o', 'json'],
      { env },
    );
    expect(j.code).toBe(1);
    const out = JSON.parse(j.stdout) as { drift: { inSync: boolean; unexpectedOnProxy: unknown[] } };
    expect(out.drift.inSync).toBe(false);
    expect(out.drift.unexpectedOnProxy).toEqual([{ action: 'CUSTOM', policy: 'ext-authz.default', rules: 1 }]);
  });

  it('--file DUMP with --from compares a saved dump with the manifests for the named pod', () => {
    const r = runCli([
      'authz-check',
      'httpbin-7b5b8c8c8-abcde.default',
      '--file',
      'test/fixtures/istioctl/configdump.json',
      '--from',
      manifests,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^in sync: /m);
    const noPod = runCli(['authz-check', '--file', 'test/fixtures/istioctl/configdump.json', '--from', manifests]);
    expect(noPod.code).toBe(2);
    expect(noPod.stderr).toMatch(/needs the pod the dump came from/);
  });

  it('a pod --from does not have: exit 2 with candidates; a proxy istioctl cannot read: exit 3', () => {
    const r = runCli(['authz-check', 'nope.default', '--kubeconfig', kubeconfig, '--from', manifests], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope/);
    const fail = runCli(['authz-check', 'httpbin-z.default', '--kubeconfig', kubeconfig], {
      env: { ...env, ISTIOCTL_STANDIN_MODE: 'fail' },
    });
    expect(fail.code).toBe(3);
    expect(fail.stderr).toMatch(/pods "httpbin-z" not found/);
  });
});
