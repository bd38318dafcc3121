import yaml from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CORE_RESOURCES, KubeApiServer } from '../../helpers/kube-api-server.js';
import { runSnapshot } from '../../../src/commands/snapshot.js';
import type { SnapshotIo } from '../../../src/commands/snapshot.js';
import { sanitizeForSnapshot } from '../../../src/sources/kube/sanitize.js';
import { MeshdbgError } from '../../../src/util/errors.js';
import { namespace, pod, writeKubeconfig } from './support/fixtures.js';

let api: KubeApiServer;
beforeEach(async () => {
  api = await KubeApiServer.start(CORE_RESOURCES);
});
afterEach(() => api.close());

function io(env: Record<string, string>): SnapshotIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    homeDir: '/nonexistent',
    now: () => new Date('2026-11-22T10:00:00Z'),
    out: () => out,
    err: () => err,
  };
}

const secretive = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'backend',
    namespace: 'prod',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"x"}', team: 'a' },
    managedFields: [{ manager: 'kubectl' }],
  },
  spec: {
    selector: { matchLabels: { app: 'backend' } },
    template: {
      metadata: { labels: { app: 'backend' } },
      spec: {
        initContainers: [{ name: 'init', image: 'i', command: ['sh', '-c', 'echo $TOKEN'] }],
        containers: [
          {
            name: 'app',
            image: 'a',
            env: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
            envFrom: [{ secretRef: { name: 's' } }],
            args: ['--token=abc'],
            ports: [{ containerPort: 8080 }],
          },
        ],
      },
    },
  },
};

describe('meshdbg snapshot', () => {
  it('writes one kind: List that leaves out secrets, tokens, env, args, commands and non-mesh ConfigMaps', async () => {
    api.put(namespace('prod'));
    api.put(pod('prod', 'a', '10.0.0.1'));
    api.put(secretive);
    api.put({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa', namespace: 'prod' },
      secrets: [{ name: 'sa-token-x' }],
    });
    api.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'prod' },
      data: { password: 'aHVudGVyMg==' },
    });
    api.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio', namespace: 'istio-system' },
      data: { mesh: 'trustDomain: cluster.local', meshNetworks: 'x' },
    });
    api.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config', namespace: 'istio-system' },
      data: { key: 'value' },
    });
    const run = io({ KUBECONFIG: writeKubeconfig(api) });
    expect(await runSnapshot(['snapshot', '-A'], run)).toBe(0);
    const text = run.out();
    expect(text.split('\n')[0]).toBe(
      `# meshdbg snapshot of context mock (${api.url}), all namespaces, taken 2026-11-22T10:00:00.000Z`,
    );
    for (const leaked of [
      'hunter2',
      'aHVudGVyMg',
      'abc',
      'echo',
      'last-applied',
      'sa-token-x',
      'app-config',
      'meshNetworks',
      'managedFields',
    ])
      expect(text).not.toContain(leaked);
    const doc = yaml.load(text) as { kind: string; items: Record<string, unknown>[] };
    expect(doc.kind).toBe('List');
    expect(doc.items.map((o) => `${String(o['kind'])}/${(o['metadata'] as { name: string }).name}`)).toEqual([
      'Deployment/backend',
      'ConfigMap/istio',
      'Namespace/prod',
      'Pod/a',
      'ServiceAccount/sa',
    ]);
    const deployment = doc.items.find((o) => o['kind'] === 'Deployment') as typeof secretive;
    expect(deployment.metadata.annotations).toEqual({ team: 'a' });
    expect(deployment.spec.template.spec.containers[0]).toEqual({
      name: 'app',
      image: 'a',
      ports: [{ containerPort: 8080 }],
    });
    expect(api.openWatchCount).toBe(0);
  });

  it('reads only the given namespaces with -n and notes a partial view in the file and on stderr', async () => {
    api.put(pod('prod', 'a', '10.0.0.1'));
    api.put(pod('other', 'b', '10.0.0.2'));
    api.forbidden.push(/^\/api\/v1\/namespaces$/);
    const run = io({ KUBECONFIG: writeKubeconfig(api) });
    await runSnapshot(['snapshot', '-n', 'prod'], run);
    const list = yaml.load(run.out()) as { status: { complete: boolean; gaps: unknown[]; notes: string[] } };
    expect(list.status.complete).toBe(false);
    expect(list.status.gaps).toContainEqual({
      kind: 'Namespace',
      namespace: null,
      reason: expect.stringMatching(/^403 Forbidden: /) as unknown,
    });
    expect(list.status.notes).toContain('partial view: Namespace objects are unreadable; namespace labels are unknown');
    expect(run.out()).toContain('namespaces istio-system, prod');
    expect(run.out()).not.toContain('other');
    expect(run.err()).toMatch(/^meshdbg: partial view/);
  });

  it('fails with exit 3 when there is no kubeconfig, and exit 2 on unknown flags', async () => {
    const none = (await runSnapshot(['snapshot'], io({})).catch((e: unknown) => e)) as MeshdbgError;
    expect(none.exitCode).toBe(3);
    const bad = (await runSnapshot(['snapshot', '--explain'], io({ KUBECONFIG: writeKubeconfig(api) })).catch(
      (e: unknown) => e,
    )) as MeshdbgError;
    expect(bad).toBeInstanceOf(MeshdbgError);
    expect(bad.exitCode).toBe(2);
    expect(bad.message).toBe('meshdbg snapshot does not take --explain');
    const extra = (await runSnapshot(['snapshot', 'prod', '--output', 'json'], io({})).catch(
      (e: unknown) => e,
    )) as MeshdbgError;
    expect([extra.exitCode, extra.message]).toEqual([2, 'meshdbg snapshot does not take prod --output']);
  });
});

describe('sanitizeForSnapshot', () => {
  it('cleans CronJob job templates and drops Secrets', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', namespace: 'n' },
      spec: {
        jobTemplate: {
          spec: { template: { spec: { containers: [{ name: 'x', image: 'y', env: [{ name: 'K', value: 'V' }] }] } } },
        },
      },
    };
    expect(JSON.stringify(sanitizeForSnapshot(cron))).not.toContain('"env"');
    expect(sanitizeForSnapshot({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })).toBeNull();
  });
});
