/**
 * Cheap first-character dispatch of one physical log line, plus the two prefixes kubectl adds
 * (`--prefix` -> `[pod/NAME/CONTAINER] `, `--timestamps` -> `RFC3339NANO `).
 */
import { isLevel, startsWithIsoTime } from './envoy-line.js';

export type LineKind =
  | 'iso' // RFC3339 head: Envoy text or an Istio Go component
  | 'access-text' // `[TIME] "..."` or `"METHOD PATH PROTO" ...`
  | 'envoy-plain' // `[YYYY-MM-DD HH:MM:SS.mmm][...` or `[Envoy (Epoch N)] ...`
  | 'json'
  | 'other-head' // syslog / kernel / klog / calico-node: ends a pending event
  | 'continuation';

const MONTHS = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function bracketKind(line: string): LineKind {
  if (line.startsWith('[Envoy (Epoch ')) return 'envoy-plain';
  if (!isDigit(line.charCodeAt(1))) return 'continuation';
  const close = line.indexOf(']');
  if (close === -1 || close > 40) return 'continuation';
  if (line.charCodeAt(close + 1) === 91) return 'envoy-plain';
  return line.startsWith(' "', close + 1) ? 'access-text' : 'continuation';
}

function isKlog(line: string): boolean {
  const c = line[0];
  return (
    (c === 'I' || c === 'W' || c === 'E' || c === 'F') &&
    isDigit(line.charCodeAt(1)) &&
    isDigit(line.charCodeAt(4)) &&
    line.charCodeAt(5) === 32
  );
}

export function lineKind(line: string): LineKind {
  const c = line.charCodeAt(0);
  if (isDigit(c)) return startsWithIsoTime(line) ? 'iso' : line.charCodeAt(4) === 45 ? 'other-head' : 'continuation';
  if (c === 91) return bracketKind(line);
  if (c === 123) return 'json';
  if (c === 34) return 'access-text';
  if (isKlog(line) || (MONTHS.has(line.slice(0, 3)) && line.charCodeAt(3) === 32)) return 'other-head';
  return 'continuation';
}

/** Strips a `kubectl logs --timestamps` prefix: an RFC3339 token not followed by a level word. */
export function stripKubectlTimestamp(line: string): string | null {
  const sp = line.indexOf(' ');
  if (sp === -1 || sp > 40 || line.charCodeAt(sp - 1) !== 90 /* Z */) return null;
  const next = line.charCodeAt(sp + 1);
  if (next === 32 || next === 9 || Number.isNaN(next)) return null;
  let tEnd = sp + 1;
  while (tEnd < line.length && line.charCodeAt(tEnd) !== 32 && line.charCodeAt(tEnd) !== 9) tEnd++;
  if (isLevel(line.slice(sp + 1, tEnd))) return null;
  const tab = line.indexOf('\t');
  if (tab !== -1 && tab < sp) return null;
  return line.slice(sp + 1);
}
