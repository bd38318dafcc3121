/**
 * `meshdbg authz-check POD | --file config_dump.json [--from PATH]... [-o text|json]`: the table
 * `istioctl x authz check` prints (istio/istio istioctl/pkg/authz), from the RBAC filters the proxy
 * really runs: a live pod's Envoy (through istioctl when on PATH, else Envoy admin over a port-forward)
 * or a saved config_dump. With `--from`, the policies the manifests say apply to that pod are compared
 * with the proxy's (stale or not-yet-pushed config); exit 1 when they differ.
 */
import { homedir } from 'node:os';
import { authzRowsFromConfigDump, parseConfigDumpText } from '../parsers/envoy-config-dump.js';
import { diffAuthzRows, formatAuthzCheckTable, isInSync } from '../parsers/istioctl-authz-check.js';
import type { AuthzTableRow, AuthzCheckTable } from '../parsers/istioctl-authz-check.js';
import { driftMessages, expectedPolicies } from '../sources/envoy-admin/drift.js';
import type { PodRef } from '../sources/envoy-admin/proxy-control.js';
import { inputError } from '../util/errors.js';
import { findExcessiveNesting } from '../util/nesting-depth.js';
import { decodeAnnounced } from '../util/utf8.js';
import { findJsonError } from '../sources/manifests/json-error.js';
import { lineAndColumn } from '../util/text-lines.js';
import { readInputFile } from '../util/input-bytes.js';
import { podInSnapshot, podRefFromText } from './authz-check-pod.js';
import { loadSnapshotFrom, meshOverrides } from './load-snapshot.js';
import { oneNamespace, outputFormat, parseCommandLine, type Options } from './options.js';

const USAGE =
  'give a pod (POD.NAMESPACE as istioctl takes it, NAMESPACE/POD, or POD with -n) or --file config_dump.json';

const DUMP_COMMAND = 'istioctl proxy-config all POD -o json > dump.json';

async function tableFromDump(file: string): Promise<AuthzCheckTable | null> {
  const split = `give one proxy's dump: ${DUMP_COMMAND}`;
  // PowerShell 5's `istioctl ... > dump.json` writes UTF-16LE with a BOM, editors may add a UTF-8 BOM
  const text = decodeAnnounced(await readInputFile(file, split));
  const parsed = parseConfigDumpText(text);
  if (!parsed.dump) {
    // V8's JSON.parse names an offset at best: the place is found again for line and column
    const at = findExcessiveNesting(text) ? null : findJsonError(text);
    if (at) {
      const { line, column } = lineAndColumn(text, at.offset);
      throw inputError(
        'bad-config-dump',
        `${file}:${line}:${column}: config_dump is not valid JSON: ${at.reason}`,
        `save the whole dump again (a cut or truncated file does not parse): ${DUMP_COMMAND}`,
      );
    }
    throw inputError('bad-config-dump', `${file}: ${parsed.issues.map((i) => i.message).join('; ')}`);
  }
  const { rows, issues } = authzRowsFromConfigDump(parsed.dump);
  for (const i of issues) process.stderr.write(`meshdbg: ${file}:${i.line}: ${i.message}\n`);
  // nothing readable at all is bad input, not an empty table
  return rows.length === 0 && issues.length > 0 ? null : { rows, issues };
}

/** The live pod's table: kubeconfig and context as kubectl resolves them, then istioctl or Envoy admin. */
async function tableFromPod(values: Options, text: string): Promise<AuthzCheckTable> {
  const [{ toConnectionFlags }, { resolveKubeContext }, { chooseProxyControl }] = await Promise.all([
    import('../sources/kube/connection-flags.js'),
    import('../sources/kube/kubeconfig.js'),
    import('../sources/envoy-admin/choose.js'),
  ]);
  const flags = toConnectionFlags(values);
  const context = resolveKubeContext({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    env: process.env,
    homeDir: homedir(),
  });
  const pod: PodRef = podRefFromText(text, flags.namespaces[0] ?? context.namespace);
  const { control } = await chooseProxyControl({
    context,
    kubeconfigFlag: flags.kubeconfig,
    timeoutMs: flags.requestTimeoutMs,
  });
  const table = await control.authzCheck(pod);
  for (const i of table.issues) process.stderr.write(`meshdbg: ${pod.name}.${pod.namespace}: ${i.message}\n`);
  return table;
}

interface Drift {
  readonly pod: string;
  readonly inSync: boolean;
  readonly messages: readonly string[];
  readonly report: ReturnType<typeof diffAuthzRows>;
}

async function driftFrom(values: Options, podText: string | null, rows: readonly AuthzTableRow[]): Promise<Drift> {
  if (podText === null)
    throw inputError(
      'bad-flag',
      'authz-check --file DUMP --from PATH needs the pod the dump came from',
      'add it: meshdbg authz-check POD.NAMESPACE --file DUMP --from PATH',
    );
  const loaded = await loadSnapshotFrom(values.from ?? [], oneNamespace(values), meshOverrides(values));
  const pod = podInSnapshot(loaded.snapshot, podText, oneNamespace(values));
  const report = diffAuthzRows(rows, expectedPolicies(loaded.snapshot, pod));
  return { pod: `${pod.namespace}/${pod.name}`, inSync: isInSync(report), messages: driftMessages(report), report };
}

function driftText(d: Drift): string {
  if (d.inSync) return `\nin sync: the proxy enforces the AuthorizationPolicies --from gives ${d.pod}\n`;
  return `\ndrift against --from (${d.pod}):\n${d.messages.map((m) => `  - ${m}\n`).join('')}`;
}

function render(format: string, rows: readonly AuthzTableRow[], drift: Drift | null): string {
  if (format === 'text') return formatAuthzCheckTable(rows) + (drift ? driftText(drift) : '');
  const json = {
    rows: rows.map((r) => ({ action: r.action, policy: r.policy, rules: r.rules })),
    ...(drift
      ? {
          drift: {
            pod: drift.pod,
            inSync: drift.inSync,
            messages: drift.messages,
            missingOnProxy: drift.report.missingOnProxy,
            unexpectedOnProxy: drift.report.unexpectedOnProxy.map((r) => ({
              action: r.action,
              policy: r.policy,
              rules: r.rules,
            })),
            rulesDiffer: drift.report.rulesDiffer,
          },
        }
      : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export async function runAuthzCheck(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const format = outputFormat(values, ['text', 'json']);
  if (positionals.length > 1) throw inputError('bad-flag', `authz-check takes one pod, got: ${positionals.join(' ')}`);
  const podText = positionals[0] ?? null;
  if (!values.file && podText === null) throw inputError('bad-flag', `authz-check: ${USAGE}`);
  const table = values.file ? await tableFromDump(values.file) : await tableFromPod(values, podText as string);
  if (table === null) return 2;
  const drift = values.from && values.from.length > 0 ? await driftFrom(values, podText, table.rows) : null;
  process.stdout.write(render(format, table.rows, drift));
  return drift && !drift.inSync ? 1 : 0;
}
