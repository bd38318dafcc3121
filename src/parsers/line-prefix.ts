/**
 * Wrappers that tools put in front of a log line, stripped before the line is parsed; the
 * wrapper also tells where the line came from (pod, container, node), used for attribution:
 * - `kubectl logs --prefix`: `[pod/NAME/CONTAINER] ` (kubernetes/kubectl `pkg/cmd/logs`)
 * - kubetail: `[POD] ` or `[POD CONTAINER] `, `[N:...]` with `--show-color-index` (johanhaleby/kubetail
 *   `prefix_line="[${display_name}] "`, display_name `${pod} ${container}` when the pod has several)
 * - stern: `POD CONTAINER ` (stern/stern default template `{{.PodName}} {{.ContainerName}} {{.Message}}`),
 *   and a bare `CONTAINER ` as printed by `--all-containers` viewers
 * - syslog / journald: `Mon DD HH:MM:SS HOST IDENT[PID]: ` (RFC 3164, `journalctl -o short`)
 * - log viewers that prepend `YYYY-MM-DD HH:MM:SS.mmm<TAB>` (Grafana/Loki table copy) or
 *   `YYYY-MM-DD HH:MM:SS ` (Docker Desktop)
 * - docker compose: `SERVICE  | ` (docker/compose `pkg/compose/printer.go` pads the service name to the
 *   widest one and writes ` | `; v1 names containers `project_service_1`, v2 `service-1`)
 * A candidate prefix is stripped only when what follows starts like a known log line, so
 * ordinary text is never cut.
 */
import type { LogOrigin } from './log-event.js';
import { isLevel, startsWithIsoTime } from './envoy-line.js';
import { lineKind } from './line-kind.js';

export interface StrippedPrefix {
  readonly rest: string;
  /** what the prefix says about the line's source; fields it does not name are null */
  readonly origin: LogOrigin;
}

const MONTHS = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function origin(pod: string | null, container: string | null, label: string | null): LogOrigin {
  return { namespace: null, pod, container, label };
}

/** true when `s` starts like a line meshdbg parses (access log, Envoy, JSON, RFC3339 head). */
export function startsLikeLogLine(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c === 91 /* [ */) return s.charCodeAt(1) >= 48 && s.charCodeAt(1) <= 57 ? true : s.startsWith('[Envoy (Epoch ');
  if (c === 123 /* { */ || c === 34 /* " */) return true;
  return startsWithIsoTime(s);
}

/** `[pod/NAME/CONTAINER] rest`. */
function kubectlPrefix(line: string): StrippedPrefix | null {
  if (!line.startsWith('[pod/')) return null;
  const close = line.indexOf('] ');
  if (close === -1) return null;
  const parts = line.slice(5, close).split('/');
  if (parts.length !== 2) return null;
  return { origin: origin(parts[0] ?? null, parts[1] ?? null, null), rest: line.slice(close + 2) };
}

/** `[POD] rest`, `[POD CONTAINER] rest` or `[N:POD CONTAINER] rest` (kubetail). */
function kubetailPrefix(line: string): StrippedPrefix | null {
  const close = line.indexOf('] ');
  if (close < 2 || close > 600) return null;
  const names = line.slice(1, close).replace(/^\d+:/, '').split(' ');
  if (names.length > 2 || !names.every((n) => DNS_LABEL.test(n))) return null;
  const rest = line.slice(close + 2);
  if (!startsLikeLogLine(rest)) return null;
  return { origin: origin(names[0] ?? null, names[1] ?? null, null), rest };
}

/**
 * `POD CONTAINER rest` (stern), `NAMESPACE POD CONTAINER rest` (stern --all-namespaces) or
 * `CONTAINER rest`: one to three DNS labels before a log line.
 */
function sternPrefix(line: string): StrippedPrefix | null {
  const c = line.charCodeAt(0);
  if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return null;
  const labels: string[] = [];
  let rest = line;
  while (labels.length < 3) {
    const sp = rest.indexOf(' ');
    if (sp <= 0 || sp > 253) return null;
    const label = rest.slice(0, sp);
    if (!DNS_LABEL.test(label)) return null;
    labels.push(label);
    rest = rest.slice(sp + 1);
    if (startsLikeLogLine(rest)) {
      const [a, b, d] = labels;
      if (labels.length === 1) return { origin: origin(null, a ?? null, null), rest };
      if (labels.length === 2) return { origin: origin(a ?? null, b ?? null, null), rest };
      return { origin: { namespace: a ?? null, pod: b ?? null, container: d ?? null, label: null }, rest };
    }
  }
  return null;
}

const COMPOSE_NAME = /^[a-z0-9][-a-z0-9_.]{0,62}$/;

/** `SERVICE  | rest` (docker compose logs / up), e.g. `envoy  | [2025-04-22 04:13:58.047][20][debug]...`. */
function composePrefix(line: string): StrippedPrefix | null {
  const sp = line.indexOf(' ');
  if (sp <= 0 || sp > 63) return null;
  let bar = sp;
  while (line.charCodeAt(bar) === 32 && bar < 128) bar++;
  if (line.charCodeAt(bar) !== 124 /* | */ || line.charCodeAt(bar + 1) !== 32) return null;
  const name = line.slice(0, sp);
  if (!COMPOSE_NAME.test(name)) return null;
  const rest = line.slice(bar + 2);
  return startsLikeLogLine(rest) ? { origin: origin(null, name, null), rest } : null;
}

/** `Mon DD HH:MM:SS HOST IDENT[PID]: rest` (kernel lines are left whole: the Calico parser reads them). */
function syslogPrefix(line: string): StrippedPrefix | null {
  if (!MONTHS.has(line.slice(0, 3)) || line.charCodeAt(3) !== 32) return null;
  const m = /^\w{3} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? (\S+) ([^\s:[]+)(?:\[\d+\])?: /.exec(line);
  if (m === null || m[2] === 'kernel') return null;
  const rest = line.slice(m[0].length);
  // klog and other heads stay whole: their parsers read the syslog time (kube-router in k3s)
  if (!startsLikeLogLine(rest) && !/^(?:trace|debug|info|warn|error)\s/.test(rest)) return null;
  return { origin: origin(null, null, `node/${m[1] ?? ''}`), rest };
}

/**
 * `YYYY-MM-DD HH:MM:SS[.fff]<TAB>rest` as log viewers print it (Grafana/Loki table copy), or with one
 * space (Docker Desktop's container log view, as pasted in envoyproxy/envoy#28265). The viewer puts
 * it before every line, so an Envoy record's `'header', 'value'` continuation loses it too.
 */
function viewerTimePrefix(line: string): StrippedPrefix | null {
  if (line.charCodeAt(4) !== 45 || line.charCodeAt(10) !== 32) return null;
  const m = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?[\t ]/.exec(line);
  if (m === null) return null;
  const rest = line.slice(m[0].length);
  return startsLikeLogLine(rest) || rest.charCodeAt(0) === 39 /* ' */
    ? { origin: origin(null, null, null), rest }
    : null;
}

const CUT_ENVOY_HEAD = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\]\[/;

/**
 * Not a prefix but the want of one: an Envoy line `[YYYY-MM-DD HH:MM:SS.mmm][tid][level][logger] ...`
 * whose opening `[` a paste cut off (the first line of the quote in openservicemesh/osm#5042).
 * The bracket is put back.
 */
function cutEnvoyHead(line: string): StrippedPrefix | null {
  return line.charCodeAt(23) === 93 /* ] */ && CUT_ENVOY_HEAD.test(line)
    ? { origin: origin(null, null, null), rest: `[${line}` }
    : null;
}

/** Strips one tool prefix; null when the line has none. */
export function stripToolPrefix(line: string): StrippedPrefix | null {
  const c = line.charCodeAt(0);
  if (c === 91) return kubectlPrefix(line) ?? kubetailPrefix(line);
  if (c >= 48 && c <= 57) return viewerTimePrefix(line) ?? cutEnvoyHead(line);
  return syslogPrefix(line) ?? sternPrefix(line) ?? composePrefix(line);
}

/** Strips every tool prefix (at most three, e.g. stern + `--timestamps`), merging what they say about the origin. */
export function applyToolPrefixes(line: string, origin: LogOrigin | null): { line: string; origin: LogOrigin | null } {
  let o = origin;
  let rest = line;
  for (let i = 0; i < 3; i++) {
    const p = stripToolPrefix(rest);
    if (p === null) break;
    rest = p.rest;
    const f = p.origin;
    o = {
      namespace: o?.namespace ?? f.namespace,
      pod: f.pod ?? o?.pod ?? null,
      container: f.container ?? o?.container ?? null,
      label: o?.label ?? f.label,
    };
  }
  return { line: rest, origin: o };
}

/** true when `s` starts like a line of a known format (by its first characters), bare level heads included. */
function startsLikeAnyLogLine(s: string): boolean {
  if (s.length === 0) return false;
  // a tool prefix is no test here: `fields {` of an Envoy protobuf dump would pass as `CONTAINER {`
  if (lineKind(s) !== 'continuation' || s.startsWith('[pod/')) return true;
  const sp = s.search(/[ \t]/);
  return sp > 0 && isLevel(s.slice(0, sp)); // ztunnel lines quoted without their time (istio/ztunnel#1273)
}

/**
 * Markdown around a pasted line: the indentation of a code block inside a list item or of an
 * indented code block, and the `> ` of a block quote (CommonMark 0.31 sections 4.4 "Indented code
 * blocks", 5.1 "Block quotes", 5.2 "List items"); reporters quote logs that way in issues and docs
 * (istio/istio.io `authz-http` task: every proxy line indented four spaces under a list item).
 * A shell comment's `# ` (expected output pasted into a script or a runbook) comes off the same way.
 * Returns the line without it when what follows starts like a log line, else null; a record's own
 * indented continuation (Envoy headers, pretty JSON) is left as it is.
 */
export function stripQuoteIndent(line: string): string | null {
  let i = 0;
  for (;;) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 62 /* > */ || c === 35 /* # */) i++;
    else break;
  }
  if (i === 0 || i > 64) return null;
  const rest = line.slice(i);
  return startsLikeAnyLogLine(rest) ? rest : null;
}
