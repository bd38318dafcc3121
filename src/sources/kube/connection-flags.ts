/**
 * kubectl's connection flags: --kubeconfig, --context, -n/--namespace (repeatable here),
 * -A/--all-namespaces, --request-timeout (default 10 s). Flags not listed are returned
 * untouched in `rest` for the command to parse.
 */
import { inputError } from '../../util/errors.js';

export interface ConnectionFlags {
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly namespaces: readonly string[];
  readonly allNamespaces: boolean;
  readonly requestTimeoutMs: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** kubectl's --request-timeout: `0` (none), a bare number of seconds, or a Go duration (`1m30s`, `500ms`). */
export function parseRequestTimeout(value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) {
    throw inputError(
      'bad-flag',
      `--request-timeout ${JSON.stringify(value)} is not a duration`,
      'use e.g. 10s, 1m or 500ms',
    );
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] ?? 's'] ?? 1000), 0);
}

function takeValue(argv: readonly string[], i: number, flag: string): [string, number] {
  const arg = argv[i] ?? '';
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq > 0) return [arg.slice(eq + 1), i];
  const next = argv[i + 1];
  if (next === undefined || next === '') throw inputError('bad-flag', `${flag} needs a value`);
  return [next, i + 1];
}

/** Splits kubectl connection flags out of argv. */
export function parseConnectionFlags(argv: readonly string[]): { flags: ConnectionFlags; rest: string[] } {
  let kubeconfig: string | null = null;
  let context: string | null = null;
  const namespaces: string[] = [];
  let allNamespaces = false;
  let requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg;
    if (name === '--kubeconfig') [kubeconfig, i] = takeValue(argv, i, '--kubeconfig');
    else if (name === '--context') [context, i] = takeValue(argv, i, '--context');
    else if (name === '-n' || name === '--namespace') {
      let ns: string;
      [ns, i] = takeValue(argv, i, '--namespace');
      namespaces.push(...ns.split(',').filter((n) => n !== ''));
    } else if (arg.startsWith('-n') && arg.length > 2 && !arg.startsWith('--')) namespaces.push(arg.slice(2));
    else if (name === '-A' || name === '--all-namespaces') allNamespaces = true;
    else if (name === '--request-timeout') {
      let value: string;
      [value, i] = takeValue(argv, i, '--request-timeout');
      requestTimeoutMs = parseRequestTimeout(value);
    } else rest.push(arg);
  }
  if (allNamespaces && namespaces.length > 0) {
    throw inputError('bad-flag', '-A and -n cannot be used together', 'drop -A to look at the given namespaces only');
  }
  return { flags: { kubeconfig, context, namespaces, allNamespaces, requestTimeoutMs }, rest };
}

/** The same flags from an already parsed command line (node:util parseArgs values). */
export function toConnectionFlags(values: {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: readonly string[];
  readonly 'all-namespaces'?: boolean;
  readonly 'request-timeout'?: string;
}): ConnectionFlags {
  const namespaces = (values.namespace ?? []).flatMap((n) => n.split(',')).filter((n) => n !== '');
  const allNamespaces = values['all-namespaces'] === true;
  if (allNamespaces && namespaces.length > 0) {
    throw inputError('bad-flag', '-A and -n cannot be used together', 'drop -A to look at the given namespaces only');
  }
  return {
    kubeconfig: values.kubeconfig ?? null,
    context: values.context ?? null,
    namespaces,
    allNamespaces,
    requestTimeoutMs:
      values['request-timeout'] === undefined
        ? DEFAULT_REQUEST_TIMEOUT_MS
        : parseRequestTimeout(values['request-timeout']),
  };
}
