/**
 * The envelope of Envoy application log lines, every era istio-proxy printed:
 * - Istio >= 1.17  `TIME\tLEVEL\tenvoy LOGGER FILE:LINE\tMSG\tthread=N`
 * - Istio 1.6-1.16 `TIME\tLEVEL\tenvoy LOGGER\tMSG` (tabs or runs of spaces after copy/paste)
 * - plain Envoy    `[YYYY-MM-DD HH:MM:SS.mmm][TID][LEVEL][LOGGER] [FILE:LINE] MSG` (Istio <= 1.5 adds `[Envoy (Epoch N)] `)
 * - JSON (>= 1.22) `{"time":..,"level":..,"scope":"envoy LOGGER","msg":..,"caller":..,"thread":..}`
 * plus Istio's own Go components (`TIME\tLEVEL\tSCOPE\tMSG`). Pure string scanning, no backtracking.
 */
import type { EnvoyContext } from './log-event.js';

export interface EnvoyHead extends EnvoyContext {
  readonly time: string | null;
  /** the message after envelope and tags */
  readonly message: string;
}

/** An Istio Go component line (pilot-agent, istiod): scope is null when the line has none. */
export interface IstioGoHead {
  readonly time: string;
  readonly level: string;
  readonly scope: string | null;
  readonly message: string;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warning', 'warn', 'error', 'critical', 'fatal', 'off', 'none']);

export function isLevel(word: string): boolean {
  return LEVELS.has(word);
}

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

function tokenEnd(s: string, i: number): number {
  while (i < s.length && !isWs(s.charCodeAt(i))) i++;
  return i;
}

/** `...<ws>thread=N` at the end of a line: the body before it and N. */
export function splitThreadSuffix(line: string): { body: string; thread: string } | null {
  let end = line.length;
  while (end > 0 && isWs(line.charCodeAt(end - 1))) end--;
  let i = end;
  while (i > 0 && isDigit(line.charCodeAt(i - 1))) i--;
  if (i === end || i < 8 || !line.startsWith('thread=', i - 7)) return null;
  const before = i - 7;
  if (before > 0 && !isWs(line.charCodeAt(before - 1))) return null;
  let bodyEnd = before;
  while (bodyEnd > 0 && isWs(line.charCodeAt(bodyEnd - 1))) bodyEnd--;
  return { body: line.slice(0, bodyEnd), thread: line.slice(i, end) };
}

/** true when `s` starts with `YYYY-MM-DDT` (the Istio/Envoy RFC3339 head). */
export function startsWithIsoTime(s: string): boolean {
  return (
    s.length > 11 &&
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(10) === 84 &&
    isDigit(s.charCodeAt(0))
  );
}

/** Source location token: `path/file.cc:123` (optionally ending in `]`). */
function sourceLocationOf(token: string): string | null {
  const t = token.endsWith(']') ? token.slice(token.startsWith('[') ? 1 : 0, -1) : token;
  const colon = t.lastIndexOf(':');
  if (colon <= 0 || colon === t.length - 1) return null;
  for (let k = colon + 1; k < t.length; k++) if (!isDigit(t.charCodeAt(k))) return null;
  const file = t.slice(0, colon);
  return file.includes('/') || file.includes('.') ? t : null;
}

/** Strips `[Tags: "ConnectionId":"N","StreamId":"M"] ` or `[CN][SM] ` from the message start. */
export function splitTags(message: string): { connectionId: string | null; streamId: string | null; rest: string } {
  if (message.charCodeAt(0) !== 91) return { connectionId: null, streamId: null, rest: message };
  if (message.startsWith('[Tags: ')) {
    const close = message.indexOf('] ');
    const end = close === -1 ? (message.endsWith(']') ? message.length - 1 : -1) : close;
    if (end === -1) return { connectionId: null, streamId: null, rest: message };
    const tags = message.slice(7, end);
    return {
      connectionId: tagValue(tags, '"ConnectionId":"'),
      streamId: tagValue(tags, '"StreamId":"'),
      rest: message.slice(end + 2),
    };
  }
  if (message.charCodeAt(1) !== 67 /* C */) return { connectionId: null, streamId: null, rest: message };
  const c = bracketNumber(message, 0, 'C');
  if (!c) return { connectionId: null, streamId: null, rest: message };
  const s = bracketNumber(message, c.next, 'S');
  const next = s ? s.next : c.next;
  return { connectionId: c.value, streamId: s ? s.value : null, rest: message.slice(skipWs(message, next)) };
}

function tagValue(tags: string, key: string): string | null {
  const i = tags.indexOf(key);
  if (i === -1) return null;
  const end = tags.indexOf('"', i + key.length);
  return end === -1 ? null : tags.slice(i + key.length, end);
}

function bracketNumber(s: string, at: number, letter: string): { value: string; next: number } | null {
  if (s[at] !== '[' || s[at + 1] !== letter) return null;
  let i = at + 2;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  if (i === at + 2 || s[i] !== ']') return null;
  return { value: s.slice(at + 2, i), next: i + 1 };
}

function withTags(
  time: string | null,
  level: string,
  logger: string,
  sourceLocation: string | null,
  thread: string | null,
  message: string,
): EnvoyHead {
  if (message.charCodeAt(0) !== 91)
    return { time, level, logger, sourceLocation, thread, connectionId: null, streamId: null, message };
  const t = splitTags(message);
  return {
    time,
    level,
    logger,
    sourceLocation,
    thread,
    connectionId: t.connectionId,
    streamId: t.streamId,
    message: t.rest,
  };
}

/**
 * Parses an RFC3339-headed line: Envoy (`TIME LEVEL envoy LOGGER [LOC] MSG`) or null.
 * `line` must not carry the thread suffix (see splitThreadSuffix).
 */
export function parseIsoEnvoyHead(line: string): EnvoyHead | null {
  const tEnd = tokenEnd(line, 0);
  const lStart = skipWs(line, tEnd);
  const lEnd = tokenEnd(line, lStart);
  const level = line.slice(lStart, lEnd);
  const eStart = skipWs(line, lEnd);
  if (!line.startsWith('envoy ', eStart) || !isLevel(level)) return null;
  const gStart = eStart + 6;
  const gEnd = tokenEnd(line, gStart);
  const sStart = skipWs(line, gEnd);
  const sEnd = tokenEnd(line, sStart);
  const loc = sourceLocationOf(line.slice(sStart, sEnd));
  const mStart = loc === null ? sStart : skipWs(line, sEnd);
  return withTags(line.slice(0, tEnd), level, line.slice(gStart, gEnd), loc, null, line.slice(mStart));
}

/** `TIME LEVEL [SCOPE] MSG` lines of pilot-agent/istiod; scope is the 3rd column only when tab-separated. */
export function parseIstioGoHead(line: string): IstioGoHead | null {
  const tEnd = tokenEnd(line, 0);
  const lStart = skipWs(line, tEnd);
  const lEnd = tokenEnd(line, lStart);
  const level = line.slice(lStart, lEnd);
  if (!isLevel(level)) return null;
  const rest = line.slice(skipWs(line, lEnd));
  const tab = rest.indexOf('\t');
  const scopeCandidate = tab === -1 ? '' : rest.slice(0, tab);
  const scoped = tab > 0 && tab <= 32 && !scopeCandidate.includes(' ');
  return {
    time: line.slice(0, tEnd),
    level,
    scope: scoped ? scopeCandidate : null,
    message: scoped ? rest.slice(tab + 1) : rest,
  };
}

/** Plain Envoy `[TIME][TID][LEVEL][LOGGER] ...`, optionally behind `[Envoy (Epoch N)] `. */
export function parsePlainEnvoyHead(line: string): EnvoyHead | null {
  let s = line;
  if (s.startsWith('[Envoy (Epoch ')) {
    const close = s.indexOf('] ');
    if (close === -1) return null;
    s = s.slice(close + 2);
  }
  const groups: string[] = [];
  let i = 0;
  while (groups.length < 4 && s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close === -1) return null;
    groups.push(s.slice(i + 1, close));
    i = close + 1;
  }
  const [time, thread, level, logger] = groups;
  if (time === undefined || thread === undefined || level === undefined || logger === undefined || !isLevel(level))
    return null;
  i = skipWs(s, i);
  const sEnd = tokenEnd(s, i);
  const token = s.slice(i, sEnd);
  const loc = token.endsWith(']') ? sourceLocationOf(token) : null;
  const mStart = loc === null ? i : skipWs(s, sEnd);
  return withTags(time, level, logger, loc, thread, s.slice(mStart));
}

/** Istio's JSON proxy log object (`scope: "envoy LOGGER"`); null for other JSON. */
export function envoyHeadFromJson(obj: Readonly<Record<string, unknown>>): EnvoyHead | null {
  const scope = obj['scope'];
  const msg = obj['msg'];
  if (typeof scope !== 'string' || !scope.startsWith('envoy ') || typeof msg !== 'string') return null;
  const str = (k: string): string | null =>
    typeof obj[k] === 'string' ? (obj[k] as string) : typeof obj[k] === 'number' ? String(obj[k]) : null;
  return withTags(str('time'), str('level') ?? 'info', scope.slice(6), str('caller'), str('thread'), msg);
}
