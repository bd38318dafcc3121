/**
 * kubectl's connection flags: --kubeconfig, --context, -n/--namespace (repeatable here),
 * -A/--all-namespaces, --request-timeout (default 10 s), taken from the values the CLI's one
 * argv parser produced.
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

/** The flags from the CLI's one parsed command line (commands/options.ts, node:util parseArgs values). */
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
