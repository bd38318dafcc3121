/**
 * `meshdbg authz-check --file config_dump.json [-o text|json]`: the table `istioctl x authz check -f`
 * prints for an Envoy config dump (istio/istio istioctl/pkg/authz), from the RBAC filters the
 * proxy really runs.
 */
import { readFile } from 'node:fs/promises';
import { authzRowsFromConfigDump, parseConfigDumpText } from '../parsers/envoy-config-dump.js';
import { formatAuthzCheckTable } from '../parsers/istioctl-authz-check.js';
import { inputError } from '../util/errors.js';
import { outputFormat, parseCommandLine } from './options.js';

export async function runAuthzCheck(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const format = outputFormat(values, ['text', 'json']);
  const file = values.file;
  if (!file)
    throw inputError(
      'bad-flag',
      positionals.length > 0
        ? `authz-check ${positionals.join(' ')}: reading a live pod is not available here; give --file config_dump.json`
        : 'authz-check needs --file config_dump.json (from istioctl proxy-config all POD -o json, or the proxy admin /config_dump)',
    );
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw inputError('unreadable-path', `cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = parseConfigDumpText(text);
  if (!parsed.dump) throw inputError('bad-config-dump', `${file}: ${parsed.issues.map((i) => i.message).join('; ')}`);
  const { rows, issues } = authzRowsFromConfigDump(parsed.dump);
  for (const i of issues) process.stderr.write(`meshdbg: ${file}:${i.line}: ${i.message}\n`);
  // nothing readable at all is bad input, not an empty table
  if (rows.length === 0 && issues.length > 0) return 2;
  process.stdout.write(
    format === 'json'
      ? `${JSON.stringify({ rows: rows.map((r) => ({ action: r.action, policy: r.policy, rules: r.rules })) }, null, 2)}\n`
      : formatAuthzCheckTable(rows),
  );
  return 0;
}
