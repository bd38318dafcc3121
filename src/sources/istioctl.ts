/**
 * istioctl, when it is on PATH: `x authz check POD.NS` and `proxy-config log POD.NS
 * [--level ...]`, run through the one exec wrapper with timeouts and cancellation, its
 * stderr turned into messages a user can act on.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join, sep } from 'node:path';
import { parseEnvoyLogging } from '../parsers/envoy-logging.js';
import type { LoggerLevels } from '../parsers/envoy-logging.js';
import { parseAuthzCheckTable } from '../parsers/istioctl-authz-check.js';
import { MeshdbgError } from '../util/errors.js';
import { podLabel } from './envoy-admin/proxy-control.js';
import type { PodRef, ProxyControl } from './envoy-admin/proxy-control.js';
import { ExecError, runCommand } from './exec.js';

export interface IstioctlOptions {
  readonly binary?: string;
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly timeoutMs: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type IstioctlDetection =
  | { readonly available: true; readonly binary: string; readonly version: string }
  | { readonly available: false; readonly reason: string };

/**
 * The cheap first answer, no process started: an executable `binary` in a PATH directory (a name
 * with a `/` is checked as a path). The TUI's first frame uses it; detectIstioctl starts from it.
 */
export function istioctlOnPath(path = process.env['PATH'] ?? '', binary = 'istioctl'): boolean {
  const executable = (file: string): boolean => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (binary.includes(sep)) return executable(binary);
  return path.split(delimiter).some((dir) => dir !== '' && executable(join(dir, binary)));
}

/**
 * Finds istioctl on PATH (istioctlOnPath), then runs `istioctl version --remote=false -o json`;
 * not found or broken means "do it natively".
 */
export async function detectIstioctl(opts: {
  binary?: string;
  timeoutMs: number;
  env?: Readonly<Record<string, string | undefined>>;
}): Promise<IstioctlDetection> {
  const binary = opts.binary ?? 'istioctl';
  const env = opts.env ?? process.env;
  if (!istioctlOnPath(env['PATH'] ?? '', binary))
    return { available: false, reason: `${binary} was not found on PATH` };
  try {
    const { stdout } = await runCommand(binary, ['version', '--remote=false', '-o', 'json'], {
      timeoutMs: opts.timeoutMs,
      env: opts.env,
    });
    const parsed = JSON.parse(stdout) as { clientVersion?: { version?: unknown } };
    const version = parsed.clientVersion?.version;
    if (typeof version !== 'string')
      return { available: false, reason: `${binary} version printed no clientVersion.version` };
    return { available: true, binary, version };
  } catch (err) {
    if (err instanceof ExecError) return { available: false, reason: err.message };
    if (err instanceof SyntaxError) return { available: false, reason: `${binary} version -o json did not print JSON` };
    throw err;
  }
}

const STDERR_HINTS: readonly [RegExp, string][] = [
  [/not found|NotFound/, 'check the pod name and namespace (kubectl get pods -n NAMESPACE)'],
  [/forbidden|Forbidden/, 'your account may not port-forward to pods (kubectl auth can-i create pods/portforward)'],
  [
    /connection refused|no such host|Unable to connect|i\/o timeout/,
    'the cluster is unreachable: check the context and network',
  ],
  [/sidecar|port-forward|15000|admin/, 'the pod may have no istio-proxy or it is not ready'],
];

/** Turns an istioctl failure into one line plus a hint. */
export function istioctlError(err: unknown, what: string, pod: PodRef): MeshdbgError {
  if (!(err instanceof ExecError))
    return new MeshdbgError('istioctl-failed', `${what} for ${podLabel(pod)} failed: ${String(err)}`, { exitCode: 3 });
  if (err.reason === 'timeout') {
    return new MeshdbgError('istioctl-timeout', `istioctl ${what} for ${podLabel(pod)} did not finish in time`, {
      exitCode: 3,
      hint: 'the proxy or the API server is slow or unreachable; raise --request-timeout',
      cause: err,
    });
  }
  if (err.reason === 'too-much-output')
    return new MeshdbgError('istioctl-output', `${err.message}: that is not the output of istioctl ${what}`, {
      exitCode: 3,
      hint: 'check which istioctl is first on PATH (command -v istioctl)',
      cause: err,
    });
  if (err.reason === 'aborted')
    return new MeshdbgError('cancelled', `istioctl ${what} for ${podLabel(pod)} was cancelled`, {
      exitCode: 3,
      cause: err,
    });
  const line =
    err.stderr
      .trim()
      .split('\n')
      .find((l) => l.trim() !== '') ?? err.message;
  const hint = STDERR_HINTS.find(([re]) => re.test(err.stderr))?.[1];
  return new MeshdbgError(
    'istioctl-failed',
    `istioctl ${what} for ${podLabel(pod)} failed: ${line.replace(/^Error:\s*/, '')}`,
    { exitCode: 3, hint, cause: err },
  );
}

function levelArg(levels: LoggerLevels): string {
  return Object.entries(levels)
    .map(([logger, level]) => (logger === 'level' ? level : `${logger}:${level}`))
    .join(',');
}

/** ProxyControl backed by the istioctl binary. */
export function createIstioctlProxyControl(opts: IstioctlOptions): ProxyControl {
  const binary = opts.binary ?? 'istioctl';
  const common = [
    ...(opts.kubeconfig ? ['--kubeconfig', opts.kubeconfig] : []),
    ...(opts.context ? ['--context', opts.context] : []),
  ];

  async function run(args: readonly string[], what: string, pod: PodRef, signal?: AbortSignal): Promise<string> {
    try {
      const { stdout } = await runCommand(binary, [...args, ...common], {
        timeoutMs: opts.timeoutMs,
        signal,
        env: opts.env,
      });
      return stdout;
    } catch (err) {
      throw istioctlError(err, what, pod);
    }
  }

  async function readLevels(
    args: readonly string[],
    what: string,
    pod: PodRef,
    signal?: AbortSignal,
  ): Promise<LoggerLevels> {
    const parsed = parseEnvoyLogging(await run(args, what, pod, signal));
    if (Object.keys(parsed.levels).length === 0) {
      throw new MeshdbgError('istioctl-output', `istioctl ${what} for ${podLabel(pod)} printed no logger levels`, {
        exitCode: 3,
      });
    }
    return parsed.levels;
  }

  return {
    via: 'istioctl',
    async authzCheck(pod, signal) {
      const out = await run(['x', 'authz', 'check', podLabel(pod)], 'x authz check', pod, signal);
      return parseAuthzCheckTable(out);
    },
    getLogLevels(pod, signal) {
      return readLevels(['proxy-config', 'log', podLabel(pod)], 'proxy-config log', pod, signal);
    },
    setLogLevels(pod, levels, signal) {
      return readLevels(
        ['proxy-config', 'log', podLabel(pod), '--level', levelArg(levels)],
        'proxy-config log --level',
        pod,
        signal,
      );
    },
  };
}
