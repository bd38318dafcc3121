/** `meshdbg lint --from PATH`: every finding with file, object, field and reason; exit 2 on error/refused. */
import { SEVERITY_RANK, finding, type Finding, type Severity } from '../model/findings.js';
import { lintNetworkPolicies } from '../engine/lint.js';
import { lintIstio } from '../engine/istio/lint.js';
import { lintAmbient } from '../engine/ambient/lint.js';
import { toJsonLine } from '../report/json.js';
import { inputError } from '../util/errors.js';
import { escapeControlCharacters } from '../util/terminal-text.js';
import { loadSnapshotFor } from './load-snapshot.js';
import { outputFormat, parseCommandLine } from './options.js';

const THRESHOLDS: readonly Severity[] = ['info', 'warning'];

function byLocation(a: Finding, b: Finding): number {
  const fa = a.loc?.file ?? '';
  const fb = b.loc?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.loc?.line ?? 0) - (b.loc?.line ?? 0);
}

export async function runLint(argv: readonly string[]): Promise<number> {
  const { values: v } = parseCommandLine(argv);
  const threshold = v['failure-threshold'];
  if (threshold !== undefined && !THRESHOLDS.includes(threshold as Severity))
    throw inputError('bad-flag', `--failure-threshold ${threshold}: must be warning or info (errors always fail)`);
  const format = outputFormat(v, ['text', 'json']);
  const loaded = await loadSnapshotFor(v);
  const unknownKinds = [...loaded.snapshot.ignoredKinds].map(([kind, n]) =>
    finding('unknown-kind', `${n} object${n > 1 ? 's' : ''} of kind ${kind} ignored: meshdbg does not use this kind`),
  );
  const all = [
    ...loaded.findings,
    ...lintNetworkPolicies(loaded.snapshot),
    ...lintIstio(loaded.snapshot),
    ...lintAmbient(loaded.snapshot),
    ...unknownKinds,
  ];
  const shown = all.filter((f) => v.verbose || f.severity !== 'info').sort(byLocation);
  const fatal = all.filter((f) => f.severity === 'error' || f.severity === 'refused');
  for (const f of shown) {
    const line = format === 'json' ? toJsonLine(f) : `${f.severity} ${f.code}: ${f.message}`;
    // fatal findings go to stderr so a refusal is visible even when stdout is parsed
    (f.severity === 'error' || f.severity === 'refused' ? process.stderr : process.stdout).write(
      escapeControlCharacters(`${line}\n`),
    );
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
