/** Snapshots from inline YAML through the same path the commands use (parser + snapshotFromObjects). */
import { parseManifestText } from '../../src/sources/manifests/parse-documents.js';
import { snapshotFromObjects } from '../../src/commands/load-snapshot.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import type { Finding } from '../../src/model/findings.js';
import { explain } from '../../src/engine/explain.js';
import type { ExplainError, ExplainQuery, Explanation } from '../../src/engine/explanation.js';

export interface SnapshotOptions {
  /** `-n`: namespace for objects without one */
  readonly namespace?: string;
  readonly file?: string;
}

/** Parses `yamlText` as one manifest file and builds the Snapshot; parse findings are prepended. */
export function snapshotFromYaml(yamlText: string, options: SnapshotOptions = {}): Snapshot {
  const file = options.file ?? 'test.yaml';
  const parsed = parseManifestText(file, yamlText);
  const snapshot = snapshotFromObjects(parsed.objects, options.namespace ?? null, file);
  if (parsed.findings.length === 0) return snapshot;
  return { ...snapshot, findings: [...parsed.findings, ...snapshot.findings] };
}

/** Parse + build findings of a file, for lint-style assertions. */
export function findingsOfYaml(yamlText: string, options: SnapshotOptions = {}): readonly Finding[] {
  return snapshotFromYaml(yamlText, options).findings;
}

export type QueryInput = Partial<ExplainQuery> & Pick<ExplainQuery, 'src' | 'dst'>;

export function query(q: QueryInput): ExplainQuery {
  return {
    id: null,
    port: null,
    protocol: null,
    http: null,
    mtls: null,
    jwt: null,
    extAuthz: null,
    now: '2026-11-20T10:00:00Z',
    resolve: {},
    namespace: null,
    cni: null,
    ...q,
  };
}

/** explain() that fails the test when the answer is an Error. */
export function explainOk(snapshot: Snapshot, q: QueryInput): Explanation {
  const result = explain(snapshot, query(q));
  if (result.kind === 'Error') throw new Error(`expected an Explanation, got ${result.code}: ${result.message}`);
  return result;
}

/** explain() that fails the test when the answer is an Explanation. */
export function explainError(snapshot: Snapshot, q: QueryInput): ExplainError {
  const result = explain(snapshot, query(q));
  if (result.kind !== 'Error') throw new Error(`expected an Error, got verdict ${result.verdict}`);
  return result;
}

/** The verdict of the NetworkPolicy layers only: denied when either direction denies. */
export function networkVerdict(e: Explanation): { egress: string; ingress: string } {
  const step = (layer: string): string => e.steps.find((s) => s.layer === layer)?.verdict ?? 'missing';
  return { egress: step('networkpolicy-egress'), ingress: step('networkpolicy-ingress') };
}
