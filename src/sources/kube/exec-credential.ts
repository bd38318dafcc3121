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
  /** true after a plugin was killed for printing more than an ExecCredential can be. */
  tooMuchOutput: boolean;
}

/**
 * An ExecCredential is a token or a client certificate and key: kilobytes. client-node appends
 * whatever the plugin prints to one string, so a plugin printing without end (`yes`) threw
 * "Invalid string length" inside a stream handler: an internal error (exit 70) within a second.
 */
export const MAX_PLUGIN_OUTPUT_CHARS = 4 * 1024 * 1024;

/** Bounds every exec plugin `kc` runs by `timeoutMs` and its output; returns flags the caller reads on failure. */
export function boundExecCredentials(
  kc: KubeConfig,
  timeoutMs: number,
  maxOutputChars = MAX_PLUGIN_OUTPUT_CHARS,
): ExecBound {
  const bound: ExecBound = { timedOut: false, tooMuchOutput: false };
  const authenticators = (kc as unknown as { authenticators?: unknown[] }).authenticators ?? [];
  for (const auth of authenticators) {
    if (auth === null || typeof auth !== 'object' || !('execFn' in auth)) continue;
    (auth as { execFn: unknown }).execFn = (command: string, args: readonly string[], opts: SpawnOptions) => {
      const child = spawn(command, args ?? [], {
        ...opts,
        timeout: timeoutMs > 0 ? timeoutMs : undefined,
        killSignal: 'SIGKILL',
      });
      // per child: requests made at once each start the plugin, and each is stopped
      let printed = 0;
      let stopped = false;
      const count = (chunk: string | Buffer): void => {
        printed += chunk.length;
        if (printed <= maxOutputChars || stopped) return;
        stopped = bound.tooMuchOutput = true;
        child.kill('SIGKILL');
      };
      // listening before client-node does is fine: no data is emitted before execFn returns
      child.stdout?.on('data', count);
      child.stderr?.on('data', count);
      child.on('exit', (_code, signal) => {
        if (signal === 'SIGKILL' && !stopped) bound.timedOut = true;
      });
      return child;
    };
  }
  return bound;
}
