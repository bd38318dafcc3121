/**
 * A file written by `meshdbg snapshot` is a `kind: List` whose `status.gaps` names what the live
 * view could not read (kind, namespace, reason). Replayed with `--from`, those gaps stay gaps: the
 * answers they could change become `conditional` with a `partial-view` condition, as live.
 */
import { finding, type Finding } from '../../model/findings.js';
import { serverText } from '../kube/server-text.js';

export interface SnapshotGap {
  readonly kind: string;
  readonly namespace: string | null;
  readonly reason: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function gapOf(entry: unknown): SnapshotGap | null {
  if (!isObject(entry)) return null;
  const { kind, namespace, reason } = entry;
  if (typeof kind !== 'string' || kind === '') return null;
  if (namespace !== null && namespace !== undefined && typeof namespace !== 'string') return null;
  // the file is input like any other: its text is made inert again, never trusted
  return {
    kind: serverText(kind, 100),
    namespace: typeof namespace === 'string' ? serverText(namespace, 253) : null,
    reason: typeof reason === 'string' ? serverText(reason) : 'unreadable',
  };
}

/** The gaps a `kind: List` document declares in `status.gaps`; a malformed entry is an error finding. */
export function snapshotGaps(
  doc: unknown,
  file: string,
  line: number | null,
): { gaps: SnapshotGap[]; findings: Finding[] } {
  const none = { gaps: [], findings: [] };
  if (!isObject(doc) || doc['kind'] !== 'List' || !isObject(doc['status'])) return none;
  const raw = doc['status']['gaps'];
  if (raw === undefined || raw === null) return none;
  const entries = Array.isArray(raw) ? raw : [raw];
  const gaps: SnapshotGap[] = [];
  const findings: Finding[] = [];
  entries.forEach((entry, i) => {
    const gap = gapOf(entry);
    if (gap !== null) gaps.push(gap);
    else
      findings.push(
        finding(
          'invalid-field',
          `${file}${line ? `:${line}` : ''}: status.gaps[${i}] of a meshdbg snapshot must be {kind, namespace, reason}; without it the snapshot's gaps are unknown`,
          { field: `status.gaps[${i}]`, loc: { file, line, doc: 0 } },
        ),
      );
  });
  return { gaps, findings };
}
