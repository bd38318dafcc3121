/**
 * One `meshdbg check` entry's `expect` block -> Expectation, refused (QueryError) when it could never
 * be met as written: a verdict, layer, enforcer or status explain never gives, a rule that is not a
 * rule index. Such an entry used to be a FAIL (exit 1, "verdict conditional, expected maybe"), which
 * reads as a regression in the policies, not as a typo in the check file (exit 2).
 */
import { LAYERS } from '../engine/index.js';
import { QueryError, isRecord, rejectUnknownKeys } from './explain-query.js';
import { quotedValue } from '../util/cut-text.js';

export interface Expectation {
  readonly verdict: string;
  readonly layer?: string;
  /** ambient mode: sidecar | ztunnel | waypoint */
  readonly enforcer?: string;
  readonly policy?: string;
  readonly rule?: number | null;
  readonly status?: number | string;
}

const VERDICTS = ['allowed', 'denied', 'conditional', 'unsupported'];
const ENFORCERS = ['sidecar', 'ztunnel', 'waypoint'];
/** expectedResponse.status when the client gets no HTTP answer (DESIGN.md, explain contract) */
const STATUS_WORDS = ['connect-timeout', 'connection-refused', 'connection-reset', 'connected'];
const KEYS = ['verdict', 'layer', 'enforcer', 'policy', 'rule', 'status'];

function oneOf(v: unknown, allowed: readonly string[], field: string): string {
  if (typeof v === 'string' && allowed.includes(v)) return v;
  throw new QueryError(`expect.${field} ${quotedValue(v)} must be one of ${allowed.join(', ')}`);
}

function isHttpStatus(v: unknown): boolean {
  const n = typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599;
}

/** The entry itself must be a query object; its `expect` must hold at least a verdict. */
export function parseExpectation(item: unknown): Expectation {
  if (!isRecord(item)) throw new QueryError('an entry must be a query object with src, dst, port and expect');
  const v = item['expect'];
  if (v === undefined || v === null)
    throw new QueryError('expect is missing: give at least expect.verdict (allowed, denied, conditional, unsupported)');
  if (!isRecord(v)) throw new QueryError('expect must be a map {verdict, layer?, enforcer?, policy?, rule?, status?}');
  rejectUnknownKeys(v, KEYS, 'expect');
  const rule = v['rule'];
  if (rule !== undefined && rule !== null && !(typeof rule === 'number' && Number.isInteger(rule) && rule >= -1))
    throw new QueryError(
      `expect.rule ${quotedValue(rule)} must be a rule index (0, 1, ...; -1 for a Calico end of tier) or null`,
    );
  const policy = v['policy'];
  if (policy !== undefined && (typeof policy !== 'string' || policy === ''))
    throw new QueryError(`expect.policy must be NAMESPACE/NAME (or NAME for a cluster-scoped policy)`);
  const status = v['status'];
  if (status !== undefined && !isHttpStatus(status) && !STATUS_WORDS.includes(status as string))
    throw new QueryError(
      `expect.status ${quotedValue(status)} must be an HTTP status (100-599) or one of ${STATUS_WORDS.join(', ')}`,
    );
  return {
    verdict: oneOf(v['verdict'], VERDICTS, 'verdict'),
    ...(v['layer'] !== undefined ? { layer: oneOf(v['layer'], LAYERS, 'layer') } : {}),
    ...(v['enforcer'] !== undefined ? { enforcer: oneOf(v['enforcer'], ENFORCERS, 'enforcer') } : {}),
    ...(policy !== undefined ? { policy: policy as string } : {}),
    ...(rule !== undefined ? { rule: rule as number | null } : {}),
    ...(status !== undefined ? { status: status as number | string } : {}),
  };
}
