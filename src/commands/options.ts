/** Command-line options shared by the commands, parsed with node:util parseArgs. */
import { parseArgs } from 'node:util';
import { inputError } from '../util/errors.js';

export const OPTION_SPEC = {
  from: { type: 'string', multiple: true },
  namespace: { type: 'string', short: 'n', multiple: true },
  output: { type: 'string', short: 'o' },
  port: { type: 'string', short: 'p' },
  protocol: { type: 'string' },
  method: { type: 'string' },
  path: { type: 'string' },
  host: { type: 'string' },
  header: { type: 'string', multiple: true },
  jwt: { type: 'string' },
  'jwt-claims': { type: 'string' },
  now: { type: 'string' },
  mtls: { type: 'boolean' },
  'no-mtls': { type: 'boolean' },
  'ext-authz': { type: 'string' },
  resolve: { type: 'string', multiple: true },
  cni: { type: 'string' },
  batch: { type: 'string' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  'request-timeout': { type: 'string' },
  'root-namespace': { type: 'string' },
  'trust-domain': { type: 'string' },
  'failure-threshold': { type: 'string' },
  junit: { type: 'string' },
  logs: { type: 'string', multiple: true },
  readonly: { type: 'boolean' },
  'print-logs': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  explain: { type: 'boolean' },
} as const;

export type Options = ReturnType<typeof parseCommandLine>['values'];

export function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTION_SPEC, allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw inputError('bad-flag', message, 'run meshdbg --help for the options');
  }
}

export function oneNamespace(values: Options): string | null {
  return values.namespace?.[values.namespace.length - 1] ?? null;
}

export function outputFormat(values: Options, allowed: readonly string[] = ['text', 'json', 'yaml']): string {
  const o = values.output ?? 'text';
  if (!allowed.includes(o)) throw inputError('bad-flag', `-o ${o}: output must be one of ${allowed.join(', ')}`);
  return o;
}
