/** `meshdbg lint [PATH]... [--from PATH]`: every finding with file, object, field and reason; exit 2 on error/refused. */
import type { Snapshot } from '../model/snapshot.js';
import { SEVERITY_RANK, finding, istCode, type Finding, type Severity } from '../model/findings.js';
import { lintAmbient, lintCalico, lintIstio, lintNetworkPolicies } from '../engine/index.js';
import { toJsonLine } from '../report/json.js';
import { inputError } from '../util/errors.js';
import { outputLine } from '../util/terminal-text.js';
import { loadSnapshotFor } from './load-snapshot.js';
import { outputFormat, parseCommandLine } from './options.js';

const THRESHOLDS: readonly Severity[] = ['info', 'warning'];

function byLocation(a: Finding, b: Finding): number {
  const fa = a.loc?.file ?? '';
  const fb = b.loc?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.loc?.line ?? 0) - (b.loc?.line ?? 0);
}

/** Every lint finding of a Snapshot: the load/convert findings, then the snapshot-wide checks. */
export function lintFindings(snapshot: Snapshot, loadFindings: readonly Finding[]): Finding[] {
  const unknownKinds = [...snapshot.ignoredKinds].map(([kind, n]) =>
    finding('unknown-kind', `${n} object${n > 1 ? 's' : ''} of kind ${kind} ignored: meshdbg does not use this kind`),
  );
  return [
    ...loadFindings,
    ...lintNetworkPolicies(snapshot),
    ...lintIstio(snapshot),
    ...lintAmbient(snapshot),
    ...lintCalico(snapshot),
    ...unknownKinds,
  ];
}

export async function runLint(argv: readonly string[]): Promise<number> {
  const { values: parsed, positionals } = parseCommandLine(argv);
  // `lint PATH` reads PATH as `--from PATH` does (kubeconform, istioctl analyze take the path the same way)
  const v = positionals.length > 0 ? { ...parsed, from: [...(parsed.from ?? []), ...positionals] } : parsed;
  const threshold = v['failure-threshold'];
  if (threshold !== undefined && !THRESHOLDS.includes(threshold as Severity))
    throw inputError('bad-flag', `--failure-threshold ${threshold}: must be warning or info (errors always fail)`);
  const format = outputFormat(v, ['text', 'json']);
  const loaded = await loadSnapshotFor(v);
  const all = lintFindings(loaded.snapshot, loaded.findings);
  const shown = all.filter((f) => v.verbose || f.severity !== 'info').sort(byLocation);
  const fatal = all.filter((f) => f.severity === 'error' || f.severity === 'refused');
  for (const f of shown) {
    // the istioctl analyze code beside ours, so istioctl users recognise the finding
    const ist = istCode(f.code);
    const line =
      format === 'json'
        ? toJsonLine(ist ? { ...f, ist } : f)
        : `${f.severity} ${f.code}${ist ? ` (${ist})` : ''}: ${f.message}`;
    // fatal findings go to stderr so a refusal is visible even when stdout is parsed
    (f.severity === 'error' || f.severity === 'refused' ? process.stderr : process.stdout).write(outputLine(line));
  }
  const counts = (['error', 'refused', 'warning', 'info'] as const)
    .map((s) => `${all.filter((f) => f.severity === s).length} ${s}`)
    .join(', ');
  process.stderr.write(
    `meshdbg lint: ${loaded.snapshot.pods.length} pods, ${loaded.snapshot.networkPolicies.length} NetworkPolicies, ${loaded.snapshot.istio.authorizationPolicies.length} AuthorizationPolicies; ${counts}\n`,
  );
  if (fatal.length > 0) return 2;
  if (threshold && all.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold as Severity])) return 1;
  return 0;
}
