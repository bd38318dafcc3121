/**
 * Envoy RBAC filter debug messages (logger `rbac`) and the local-reply line (logger `http`),
 * every era: `checking request|connection: ...`, `shadow|enforced allowed|denied[, matched policy ID|none]`,
 * `no engine, allowed by default`, `Sending|Preparing local reply with details ...`.
 * Functions take the message after the envelope (see envoy-line.ts).
 */
import type { RbacRequest } from './log-event.js';
import { redactHeaderValue } from '../util/redact.js';
import { parseRuleRef, rbacDeniedPolicyId } from '../model/rule-ref.js';

export interface RbacVerdictMessage {
  readonly enforcement: 'enforced' | 'shadow' | 'none';
  readonly result: 'allowed' | 'denied';
  readonly policyId: string | null;
  readonly policyReported: boolean;
}

const MATCHED = ', matched policy ';

/** Parses a decision message; null when the message is not one. */
export function parseRbacVerdict(message: string): RbacVerdictMessage | null {
  const m = message.trimEnd();
  if (m === 'no engine, allowed by default')
    return { enforcement: 'none', result: 'allowed', policyId: null, policyReported: false };
  const enforcement = m.startsWith('enforced ') ? 'enforced' : m.startsWith('shadow ') ? 'shadow' : null;
  if (enforcement === null) return null;
  const rest = m.slice(enforcement.length + 1);
  const result = rest.startsWith('allowed') ? 'allowed' : rest.startsWith('denied') ? 'denied' : null;
  if (result === null) return null;
  const tail = rest.slice(result.length);
  if (tail === '') return { enforcement, result, policyId: null, policyReported: false };
  if (!tail.startsWith(MATCHED)) return null;
  const id = tail.slice(MATCHED.length).trim();
  const none = id === '' || parseRuleRef(id)?.type === 'none';
  return { enforcement, result, policyId: none ? null : id, policyReported: true };
}

/** `checking request: ...` (HTTP filter) or `checking connection: ...` (network filter). */
export function checkingFilter(message: string): 'http' | 'network' | null {
  if (message.startsWith('checking request:')) return 'http';
  if (message.startsWith('checking connection:')) return 'network';
  return null;
}

function valueAfter(text: string, key: string, from = 0): string | null {
  const i = text.indexOf(key, from);
  if (i === -1) return null;
  const start = i + key.length;
  let end = text.indexOf(',', start);
  if (end === -1) end = text.length;
  const v = text.slice(start, end).trim();
  return v === '' ? null : v;
}

function uriSanOf(text: string): string | null {
  const key = 'uriSanPeerCertificate: ';
  const i = text.indexOf(key);
  if (i === -1) return null;
  const start = i + key.length;
  let end = text.indexOf(', dnsSanPeerCertificate', start);
  if (end === -1) end = text.indexOf(', subjectPeerCertificate', start);
  if (end === -1) end = text.indexOf(',', start);
  if (end === -1) end = text.length;
  const v = text.slice(start, end).trim();
  return v === '' ? null : v;
}

/** `'name', 'value'` -> [name, value]; null for other lines. */
export function parseHeaderPair(line: string): [string, string] | null {
  const s = line.trimStart();
  if (s.charCodeAt(0) !== 39) return null;
  const nameEnd = s.indexOf("'", 1);
  if (nameEnd === -1 || !s.startsWith(", '", nameEnd + 1)) return null;
  const valueStart = nameEnd + 4;
  const valueEnd = s.lastIndexOf("'");
  if (valueEnd < valueStart) return null;
  return [s.slice(1, nameEnd).toLowerCase(), s.slice(valueStart, valueEnd)];
}

function collectHeaders(first: string, continuation: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const add = (line: string): void => {
    const pair = parseHeaderPair(line);
    if (pair) headers[pair[0]] = redactHeaderValue(pair[0], pair[1]);
  };
  const h = first.indexOf('headers: ');
  if (h !== -1) add(first.slice(h + 9));
  for (const line of continuation) {
    if (line.startsWith(', dynamicMetadata:') || line.startsWith(',dynamicMetadata:')) break;
    add(line);
  }
  return headers;
}

/** Builds the request record from a `checking ...` event (first message + continuation lines). */
export function parseCheckingRequest(
  filter: 'http' | 'network',
  first: string,
  continuation: readonly string[],
  lineNo: number,
): RbacRequest {
  const headers = filter === 'http' ? collectHeaders(first, continuation) : {};
  const sslAt = first.indexOf('ssl: ');
  const head = sslAt === -1 ? first : first.slice(0, sslAt);
  return {
    filter,
    requestedServerName: valueAfter(head, 'requestedServerName: '),
    sourceAddress: valueAfter(head, 'sourceIP: ') ?? valueAfter(head, 'remoteAddress: '),
    directRemoteAddress: valueAfter(head, 'directRemoteIP: '),
    remoteAddress: valueAfter(head, 'remoteIP: '),
    localAddress: valueAfter(head, 'localAddress: '),
    peerUriSan: sslAt === -1 ? null : uriSanOf(first.slice(sslAt)),
    method: headers[':method'] ?? null,
    path: headers[':path'] ?? null,
    authority: headers[':authority'] ?? null,
    headers,
    lineNo,
  };
}

export interface LocalReplyMessage {
  readonly form: 'sending' | 'preparing';
  readonly details: string;
  readonly rbacDenied: boolean;
  readonly rbacPolicyId: string | null;
  readonly extAuthz: 'denied' | 'error' | null;
}

const SENDING = 'Sending local reply with details ';
const PREPARING = 'Preparing local reply with details ';
/** The policy id inside RBAC denial details (see formatRbacDeniedDetails); undefined when the text is not one. */
export function rbacIdFromDetails(details: string): { denied: boolean; policyId: string | null } | undefined {
  const policyId = rbacDeniedPolicyId(details);
  if (policyId !== undefined) return { denied: true, policyId };
  if (details === 'rbac_access_denied') return { denied: true, policyId: null };
  return undefined;
}

const EXT_AUTHZ_REJECTED = 'ext_authz filter rejected the request';
/** Envoy <= 1.10 (envoyproxy/envoy#4124: `Ext_authz rejected the request`; then lower-case, same line) */
const OLD_EXT_AUTHZ_REJECTED = 'xt_authz rejected the request';

/** true when an Envoy message is the ext_authz filter's rejection, in any era's wording. */
export function isExtAuthzRejection(message: string): boolean {
  const c = message.charCodeAt(0);
  if (c === 101 /* e */) return message.startsWith(EXT_AUTHZ_REJECTED) || message.startsWith(OLD_EXT_AUTHZ_REJECTED, 1);
  return c === 69 /* E */ && message.startsWith(OLD_EXT_AUTHZ_REJECTED, 1);
}

/**
 * `ext_authz filter rejected the request. Response status code: 403` or `... with an error. ...`
 * (envoyproxy/envoy source/extensions/filters/http/ext_authz/ext_authz.cc, trace level). Envoy up
 * to 1.10 logged `Ext_authz rejected the request` (1.7-1.8) / `ext_authz rejected the request`
 * (debug, logger `filter`) for a denial and for a failed check with failure_mode_allow off alike,
 * with no status: the outcome is `rejected`, which of the two unsaid.
 */
export function parseExtAuthzRejection(
  message: string,
): { outcome: 'denied' | 'error' | 'rejected'; status: number | null } | null {
  if (!message.startsWith(EXT_AUTHZ_REJECTED)) {
    return isExtAuthzRejection(message) ? { outcome: 'rejected', status: null } : null;
  }
  const rest = message.slice(EXT_AUTHZ_REJECTED.length);
  const m = /Response status code: '?(\d{3})/.exec(rest);
  return { outcome: rest.startsWith(' with an error') ? 'error' : 'denied', status: m ? Number(m[1]) : null };
}

export function parseLocalReply(message: string): LocalReplyMessage | null {
  const form = message.startsWith(SENDING) ? 'sending' : message.startsWith(PREPARING) ? 'preparing' : null;
  if (form === null) return null;
  let details = message.slice(form === 'sending' ? SENDING.length : PREPARING.length).trim();
  if (details.endsWith(' directly to the encoder')) details = details.slice(0, -' directly to the encoder'.length);
  const rbac = rbacIdFromDetails(details);
  const extAuthz = details === 'ext_authz_denied' ? 'denied' : details === 'ext_authz_error' ? 'error' : null;
  return { form, details, rbacDenied: rbac?.denied ?? false, rbacPolicyId: rbac?.policyId ?? null, extAuthz };
}
