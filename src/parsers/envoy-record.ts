/**
 * An Envoy log event being assembled from its physical lines (head + continuation lines), and
 * the small rules around it: which heads can become events at all, the per-origin key, and
 * JSON proxy lines whose `msg` carries the continuation after `\n`.
 */
import type { EnvoyHead } from './envoy-line.js';
import type { LogOrigin } from './log-event.js';
import { isExtAuthzRejection } from './rbac.js';

export interface OpenRecord {
  head: EnvoyHead;
  lineNo: number;
  origin: LogOrigin | null;
  originKey: string;
  continuation: string[];
  rawLines: string[];
  overflowReported: boolean;
  /** an Envoy message that yields no event (debug chatter of other loggers): lines consumed, not kept */
  ignored: boolean;
}

/** Only RBAC lines, local replies and non-debug lines (mesh health) can become events. */
export function mayBeEvent(head: EnvoyHead): boolean {
  if (head.logger === 'filter' && isExtAuthzRejection(head.message)) return true;
  if (head.logger === 'rbac' || head.logger === 'ext_authz' || (head.level !== 'debug' && head.level !== 'trace'))
    return true;
  const c = head.message.charCodeAt(0);
  return c === 83 || c === 80; // Sending / Preparing local reply
}

export function originKeyOf(o: LogOrigin | null): string {
  return o === null ? '' : `${o.namespace ?? ''}/${o.pod ?? ''}/${o.container ?? ''}/${o.label ?? ''}`;
}

/** A JSON proxy line is one complete event; `msg` may hold the continuation lines after `\n`. */
export function jsonRecord(
  head: EnvoyHead,
  line: string,
  lineNo: number,
  origin: LogOrigin | null,
  key: string,
  maxLines: number,
): OpenRecord {
  const parts = head.message.split('\n');
  return {
    head: { ...head, message: parts[0] ?? '' },
    lineNo,
    origin,
    originKey: key,
    continuation: parts.slice(1, maxLines),
    rawLines: [line],
    overflowReported: false,
    ignored: false,
  };
}
