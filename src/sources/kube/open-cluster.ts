/**
 * The one entry point commands use for a live cluster: kubectl flags -> kubeconfig ->
 * a started LiveSource (exit-3 MeshdbgError when nothing needed can be read).
 */
import type { ProgressListener } from '../load-progress.js';
import { homedir } from 'node:os';
import type { ConnectionFlags } from './connection-flags.js';
import { resolveKubeContext } from './kubeconfig.js';
import type { KubeContext } from './kubeconfig.js';
import { createLiveSource } from './live-source.js';
import type { LiveSource } from './live-source.js';
import type { ReflectorClock } from './reflector.js';

export interface OpenClusterOptions {
  readonly flags: ConnectionFlags;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
  readonly rootNamespace?: string;
  readonly clock?: ReflectorClock;
  /** false to list once without watching. */
  readonly watch?: boolean;
  /** told as each kind's first list ends */
  readonly onProgress?: ProgressListener;
}

export interface OpenCluster {
  readonly source: LiveSource;
  readonly context: KubeContext;
}

/** Resolves the kubeconfig, lists everything and starts the watches. */
export async function openLiveSource(opts: OpenClusterOptions): Promise<OpenCluster> {
  const context = resolveKubeContext({
    kubeconfig: opts.flags.kubeconfig,
    context: opts.flags.context,
    env: opts.env ?? process.env,
    homeDir: opts.homeDir ?? homedir(),
  });
  const source = createLiveSource({
    context,
    namespaces: opts.flags.namespaces,
    allNamespaces: opts.flags.allNamespaces,
    requestTimeoutMs: opts.flags.requestTimeoutMs,
    rootNamespace: opts.rootNamespace,
    clock: opts.clock,
    watch: opts.watch,
    onProgress: opts.onProgress,
  });
  await source.start();
  return { source, context };
}
