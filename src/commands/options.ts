/** Command-line options shared by the commands, parsed with node:util parseArgs. */
import { parseArgs } from 'node:util';
import { inputError } from '../util/errors.js';
import { parseNow } from '../parsers/explain-query.js';

export const OPTION_SPEC = {
  from: { type: 'string', multiple: true },
  namespace: { type: 'string', short: 'n', multiple: true },
  output: { type: 'string', short: 'o' },
  file: { type: 'string', short: 'f' },
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
  workers: { type: 'string' },
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
  focus: { type: 'string' },
  denied: { type: 'boolean' },
  to: { type: 'string', multiple: true },
  'fail-on': { type: 'string' },
} as const;

export type Options = ReturnType<typeof parseCommandLine>['values'];

export function parseCommandLine(argv: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTION_SPEC, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw inputError('bad-flag', message, 'run meshdbg --help for the options');
  }
  // parseArgs keeps the last of a repeated single-valued option; a silent choice is a wrong answer
  const seen = new Map<string, string[]>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    const spec = OPTION_SPEC[t.name as keyof typeof OPTION_SPEC] as { multiple?: boolean; type: string };
    if (spec.multiple || spec.type === 'boolean') continue;
    seen.set(t.name, [...(seen.get(t.name) ?? []), t.value ?? '']);
  }
  for (const [name, values] of seen) {
    if (values.length > 1)
      throw inputError('bad-flag', `--${name} given ${values.length} times (${values.join(', ')}); give it once`);
  }
  const { tokens: _tokens, ...rest } = parsed;
  return rest;
}

/** The namespace for manifests and bare names: one -n (several -n only scope a live cluster). */
export function oneNamespace(values: Options): string | null {
  const given = values.namespace ?? [];
  if (given.length > 1 && (values.from ?? []).length > 0) {
    throw inputError(
      'bad-flag',
      `-n given ${given.length} times (${given.join(', ')}); with --from it names one namespace`,
      'keep one -n, or write peers as NAMESPACE/NAME',
    );
  }
  return given[0] ?? null;
}

export function outputFormat(values: Options, allowed: readonly string[] = ['text', 'json', 'yaml']): string {
  const o = values.output ?? 'text';
  if (!allowed.includes(o)) throw inputError('bad-flag', `-o ${o}: output must be one of ${allowed.join(', ')}`);
  return o;
}

/** --now as RFC 3339 (a bad-flag error naming the flag), else the current time. */
export function nowFromFlag(values: Options): string {
  try {
    return parseNow(values.now, '--now') ?? new Date().toISOString();
  } catch (err) {
    throw inputError('bad-flag', (err as Error).message);
  }
}
