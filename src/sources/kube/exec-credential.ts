/**
 * client-node runs a kubeconfig's exec credential plugin with no time limit, so a hanging
 * plugin hung meshdbg for ever. Its authenticator spawns through an `execFn` field; we swap
 * in a spawn bounded by the request timeout (the child is killed when it expires), as
 * kubectl bounds every request by --request-timeout. The test in
 * test/sources/kube/faults.test.ts fails if client-node stops using that field.
 */
import { spawn } from 'node:child_process';
import type { SpawnOptions } from 'node:child_process';
import type { KubeConfig } from '@kubernetes/client-node';

export interface ExecBound {
  /** true after a plugin was killed for running past the timeout. */
  timedOut: boolean;
}

/** Bounds every exec plugin `kc` runs by `timeoutMs`; returns a flag the caller reads on failure. */
export function boundExecCredentials(kc: KubeConfig, timeoutMs: number): ExecBound {
  const bound: ExecBound = { timedOut: false };
  const authenticators = (kc as unknown as { authenticators?: unknown[] }).authenticators ?? [];
  for (const auth of authenticators) {
    if (auth === null || typeof auth !== 'object' || !('execFn' in auth)) continue;
    (auth as { execFn: unknown }).execFn = (command: string, args: readonly string[], opts: SpawnOptions) => {
      const child = spawn(command, args ?? [], {
        ...opts,
        timeout: timeoutMs > 0 ? timeoutMs : undefined,
        killSignal: 'SIGKILL',
      });
      child.on('exit', (_code, signal) => {
        if (signal === 'SIGKILL') bound.timedOut = true;
      });
      return child;
    };
  }
  return bound;
}
