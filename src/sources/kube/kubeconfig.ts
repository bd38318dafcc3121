/**
 * kubeconfig resolution as kubectl does it: --kubeconfig, else every file in KUBECONFIG
 * (merged, first wins), else ~/.kube/config; then --context or current-context. There is
 * no silent fallback to localhost:8080 (client-node's loadFromDefault does that).
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { MeshdbgError } from '../../util/errors.js';

export const EXIT_CLUSTER_UNREADABLE = 3;

export interface KubeContext {
  readonly kc: KubeConfig;
  readonly contextName: string;
  readonly server: string;
  /** The context's namespace, `default` when it sets none (as kubectl). */
  readonly namespace: string;
  readonly files: readonly string[];
}

export interface ResolveOptions {
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
}

export function clusterError(code: string, message: string, hint?: string, cause?: unknown): MeshdbgError {
  return new MeshdbgError(code, message, { hint, exitCode: EXIT_CLUSTER_UNREADABLE, cause });
}

/** The kubeconfig files kubectl would read, in order. */
export function kubeconfigFiles(opts: ResolveOptions): string[] {
  if (opts.kubeconfig) return [opts.kubeconfig];
  const env = opts.env['KUBECONFIG'];
  if (env) return env.split(delimiter).filter((f) => f !== '');
  return [join(opts.homeDir, '.kube', 'config')];
}

function firstByName<T extends { name: string }>(lists: readonly (readonly T[])[]): T[] {
  const seen = new Map<string, T>();
  for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()];
}

/** Merges kubeconfig files as kubectl does: the first file to define a name wins, no error on duplicates. */
function mergeFirstWins(configs: readonly KubeConfig[]): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: firstByName(configs.map((c) => c.getClusters())),
    users: firstByName(configs.map((c) => c.getUsers())),
    contexts: firstByName(configs.map((c) => c.getContexts())),
    currentContext: configs.map((c) => c.getCurrentContext()).find((name) => Boolean(name)) ?? '',
  });
  return kc;
}

function loadFiles(files: readonly string[], explicit: boolean): KubeConfig {
  const present = files.filter((f) => existsSync(f));
  if (explicit && present.length !== files.length) {
    throw clusterError(
      'no-kubeconfig',
      `kubeconfig ${files.find((f) => !existsSync(f))} does not exist`,
      'check --kubeconfig / KUBECONFIG',
    );
  }
  if (present.length === 0) {
    throw clusterError(
      'no-kubeconfig',
      `no kubeconfig found (looked at ${files.join(', ')}); meshdbg does not fall back to localhost:8080`,
      'point KUBECONFIG or --kubeconfig at your cluster, read manifests with --from PATH, or try `meshdbg demo`',
    );
  }
  try {
    return mergeFirstWins(
      present.map((file) => {
        const one = new KubeConfig();
        one.loadFromFile(file);
        return one;
      }),
    );
  } catch (err) {
    throw clusterError(
      'bad-kubeconfig',
      `cannot read kubeconfig: ${(err as Error).message.split('\n')[0]}`,
      'fix the file or pass --kubeconfig',
      err,
    );
  }
}

/** Resolves the kubeconfig and context to use, or throws a one-line exit-3 error. */
export function resolveKubeContext(opts: ResolveOptions): KubeContext {
  const files = kubeconfigFiles(opts);
  const kc = loadFiles(files, opts.kubeconfig !== null);
  const contextName = opts.context ?? kc.getCurrentContext();
  const context = kc.getContexts().find((c) => c.name === contextName);
  if (!context) {
    const known = kc.getContexts().map((c) => c.name);
    throw clusterError(
      'no-context',
      contextName ? `context ${contextName} is not in the kubeconfig` : 'the kubeconfig has no current-context',
      known.length > 0 ? `use --context with one of: ${known.join(', ')}` : 'add a context to the kubeconfig',
    );
  }
  kc.setCurrentContext(contextName);
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server)
    throw clusterError('no-cluster', `context ${contextName} names no cluster with a server`, 'fix the kubeconfig');
  return { kc, contextName, server: cluster.server, namespace: context.namespace ?? 'default', files };
}
