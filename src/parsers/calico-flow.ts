/**
 * Calico flow records as recorded JSON: Whisker `FlowResponse` (flat keys, `policies.enforced`)
 * and Goldmane `Flow` (`key: FlowKey`, `policies.enforced_policies`, unix-second times).
 */
import type { CalicoFlow } from './log-event.js';
import { pick, policyHitsFrom } from './calico.js';

export type FlowFields = Omit<CalicoFlow, 'kind' | 'lineNo' | 'origin' | 'evidence'>;
type Json = Readonly<Record<string, unknown>>;

const asObject = (v: unknown): Json | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;

function text(obj: Json, key: string): string | null {
  const v = pick(obj, key);
  return typeof v === 'string' && v !== '' ? v : null;
}

function timeOf(obj: Json, key: string): string | null {
  const v = pick(obj, key);
  if (typeof v === 'string' && v !== '') return /^\d+$/.test(v) ? new Date(Number(v) * 1000).toISOString() : v;
  if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e11) return new Date(v * 1000).toISOString();
  return null;
}

/** true when a parsed JSON object is a Whisker or Goldmane flow. */
export function isFlowJson(obj: Json): boolean {
  const key = asObject(obj['key']);
  const flat = key ?? obj;
  return (
    (pick(flat, 'dest_name') !== undefined || pick(flat, 'dest_namespace') !== undefined) &&
    pick(flat, 'action') !== undefined
  );
}

const isStaged = (kind: string): boolean => kind.startsWith('Staged');

/**
 * Enforced and pending hits. Calico Enterprise flow logs may carry only `all_policies` (enforced
 * and staged hits together, tigera/docs calico-enterprise/observability/elastic/flow/datatypes.mdx):
 * staged hits are then pending, the others enforced.
 */
function policyTraces(policies: Json): Pick<FlowFields, 'enforced' | 'pending'> {
  const enforced = pick(policies, 'enforced') ?? pick(policies, 'enforced_policies');
  const pending = pick(policies, 'pending') ?? pick(policies, 'pending_policies');
  const all = policyHitsFrom(pick(policies, 'all_policies'));
  return {
    enforced: enforced === undefined ? all.filter((h) => !isStaged(h.kind)) : policyHitsFrom(enforced),
    pending: pending === undefined ? all.filter((h) => isStaged(h.kind)) : policyHitsFrom(pending),
  };
}

/** Normalizes a flow object; null when it lacks an action. */
export function flowFromJson(obj: Json): FlowFields | null {
  const key = asObject(obj['key']) ?? obj;
  const action = text(key, 'action');
  if (action === null) return null;
  const policies = asObject(pick(key, 'policies')) ?? {};
  const port = pick(key, 'dest_port');
  return {
    time: timeOf(obj, 'start_time'),
    action,
    reporter: text(key, 'reporter'),
    source: { namespace: text(key, 'source_namespace'), name: text(key, 'source_name') },
    destination: { namespace: text(key, 'dest_namespace'), name: text(key, 'dest_name') },
    protocol: text(key, 'proto') ?? text(key, 'protocol'),
    destPort: typeof port === 'number' ? port : typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : null,
    ...policyTraces(policies),
    startTime: timeOf(obj, 'start_time'),
    endTime: timeOf(obj, 'end_time'),
  };
}
