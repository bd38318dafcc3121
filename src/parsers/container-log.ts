/**
 * Envelopes that container runtimes and log shippers put around a proxy's line, taken off before
 * the line is parsed; what they say about the line's pod goes into its origin.
 *
 * - CRI (containerd, CRI-O; the files kubelet reads under /var/log/pods): `TIME STREAM TAG CONTENT`,
 *   TIME RFC3339Nano, STREAM `stdout` or `stderr`, TAG `F` (full) or `P` (partial: the runtime cut a
 *   long line, the next records of the stream carry the rest), more tags after a `:` ignored
 *   (kubernetes/kubernetes pkg/kubelet/kuberuntime/logs/logs.go, parseCRILog).
 * - Docker json-file: `{"log":"CONTENT\n","stream":"stdout","time":"..."}`; CONTENT without its
 *   newline is a partial line continued by the next record (same file, parseDockerJSONLog).
 * - Shippers, one JSON object per line holding the line as a string:
 *   `log` (Fluent Bit, Fluentd; pod from the kubernetes filter's kubernetes.namespace_name,
 *   pod_name, container_name: https://docs.fluentbit.io/manual/pipeline/filters/kubernetes),
 *   `textPayload` or `jsonPayload` (Google Cloud Logging; pod from resource.labels of the
 *   k8s_container resource: https://cloud.google.com/monitoring/api/resources#tag_k8s_container),
 *   `message` beside a `kubernetes` object (Elastic Filebeat/ECS: kubernetes.namespace,
 *   kubernetes.pod.name, kubernetes.container.name:
 *   https://www.elastic.co/guide/en/beats/filebeat/current/exported-fields-kubernetes-processor.html),
 *   `@rawstring` (Falcon LogScale, which flattens the kubernetes keys as `kubernetes.pod_name`),
 *   `line` beside `labels` (Loki's `logcli query -o jsonl`; pod from the labels `namespace`, `pod`,
 *   `container`, or their OpenTelemetry names `k8s_namespace_name`...).
 *   A shipper that skipped the runtime's parser keeps the CRI line inside: it is unwrapped too.
 * - Loki's `logcli query` default output: `TIME {LABELS} LINE` (TIME RFC3339 in the local zone,
 *   LABELS as Prometheus prints a label set, padded with spaces), or `TIME LINE` with
 *   `--no-labels` (grafana/loki pkg/logcli/output/default.go, jsonl.go).
 */
import type { LogOrigin } from './log-event.js';
import { startsLikeLogLine } from './line-prefix.js';

export interface ContainerLine {
  /** the line the container wrote (a partial record's piece) */
  readonly text: string;
  /** the runtime cut the line here: the stream's next record continues it */
  readonly partial: boolean;
  /** `stdout` / `stderr` when the envelope says, for joining partial records */
  readonly stream: string;
  /** what the envelope names of the pod; null fields are unknown */
  readonly origin: LogOrigin | null;
}

const CRI_HEAD = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d) (stdout|stderr) ([^ ]*) /;

/** `TIME STREAM TAG CONTENT` (a tag and its space are required: parseCRILog fails without them). */
function criLine(line: string): ContainerLine | null {
  if (line.charCodeAt(10) !== 84 /* T */ || line.charCodeAt(4) !== 45 /* - */) return null;
  // the stream word right after the time (Envoy's ISO lines have a tab there) before the full test
  const sp = line.indexOf(' ', 19);
  if (sp === -1 || sp > 36 || !(line.startsWith('stdout ', sp + 1) || line.startsWith('stderr ', sp + 1))) return null;
  const m = CRI_HEAD.exec(line);
  if (m === null) return null;
  const tag = (m[2] ?? '').split(':')[0];
  return { text: line.slice(m[0].length), partial: tag === 'P', stream: m[1] ?? '', origin: null };
}

const LOGCLI_HEAD = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d) /;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Where a Prometheus label set `{a="x", b="y"}` at the start of `text` ends (after its `}`), or -1. */
function labelSetEnd(text: string): number {
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted && c === 92 /* \ */) i++;
    else if (c === 34 /* " */) quoted = !quoted;
    else if (!quoted && c === 125 /* } */) return i + 1;
  }
  return -1;
}

function labelOrigin(labels: Readonly<Record<string, unknown>>): LogOrigin | null {
  const namespace = str(labels.namespace) ?? str(labels.k8s_namespace_name);
  const pod = str(labels.pod) ?? str(labels.k8s_pod_name);
  const container = str(labels.container) ?? str(labels.k8s_container_name);
  if (namespace === null && pod === null && container === null) return null;
  return { namespace, pod, container, label: null };
}

/**
 * `TIME {LABELS} LINE` or, with --no-labels and a zone offset, `TIME LINE` before a line meshdbg
 * reads (a `Z` time before anything is kubectl's --timestamps, taken off later).
 */
function logcliLine(line: string): ContainerLine | null {
  const m = LOGCLI_HEAD.exec(line);
  if (m === null) return null;
  const rest = line.slice(m[0].length);
  if (rest.charCodeAt(0) !== 123 /* { */ || !/^\{[A-Za-z_][A-Za-z0-9_]*="/.test(rest)) {
    const zone = m[0].charCodeAt(m[0].length - 2) !== 90; /* Z */
    return zone && startsLikeLogLine(rest) ? { text: rest, partial: false, stream: '', origin: null } : null;
  }
  const end = labelSetEnd(rest);
  if (end === -1) return null;
  const labels: Record<string, string> = {};
  for (const [, k, v] of rest.slice(0, end).matchAll(LABEL))
    labels[k as string] = (v as string).replace(/\\(.)/g, '$1');
  return { text: rest.slice(end).trimStart(), partial: false, stream: '', origin: labelOrigin(labels) };
}

/**
 * A key that makes a JSON line an envelope; a proxy's own JSON line has none of them. One scan of
 * the line: six `includes` cost 6x as much on a JSON log line that has none.
 */
const ENVELOPE_KEY = /"(?:log|textPayload|jsonPayload|@rawstring|kubernetes|labels)"/;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The pod the envelope names: nested (Fluent Bit, ECS), flattened (`kubernetes.pod_name`) or GCP's resource labels. */
function envelopeOrigin(o: Json): LogOrigin | null {
  const k = isObject(o.kubernetes) ? o.kubernetes : null;
  const labels = isObject(o.resource) && isObject(o.resource.labels) ? o.resource.labels : null;
  const nested = (key: string): unknown => (k && isObject(k[key]) ? k[key].name : undefined);
  const namespace =
    str(k?.namespace_name) ?? str(k?.namespace) ?? str(o['kubernetes.namespace_name']) ?? str(labels?.namespace_name);
  const pod = str(k?.pod_name) ?? str(nested('pod')) ?? str(o['kubernetes.pod_name']) ?? str(labels?.pod_name);
  const container =
    str(k?.container_name) ??
    str(nested('container')) ??
    str(o['kubernetes.container_name']) ??
    str(labels?.container_name);
  if (namespace === null && pod === null && container === null) return null;
  return { namespace, pod, container, label: null };
}

function withoutNewline(text: string): string {
  const t = text.endsWith('\n') ? text.slice(0, -1) : text;
  return t.endsWith('\r') ? t.slice(0, -1) : t;
}

/** Docker json-file's own record: only its keys (`attrs` with --log-opt labels). */
function isDockerRecord(o: Json): boolean {
  return Object.keys(o).every((k) => k === 'log' || k === 'stream' || k === 'time' || k === 'attrs');
}

function jsonEnvelope(line: string): ContainerLine | null {
  if (!ENVELOPE_KEY.test(line)) return null;
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObject(o)) return null;
  const origin = envelopeOrigin(o);
  const stream = str(o.stream) ?? '';
  if (typeof o.log === 'string') {
    // Docker ends a whole line with its newline; Fluent Bit's CRI parser says P/F in `logtag`
    const partial = isDockerRecord(o) ? !o.log.endsWith('\n') : o.logtag === 'P';
    return { text: withoutNewline(o.log), partial, stream, origin };
  }
  if (typeof o.textPayload === 'string') return { text: withoutNewline(o.textPayload), partial: false, stream, origin };
  if (isObject(o.jsonPayload)) return { text: JSON.stringify(o.jsonPayload), partial: false, stream, origin };
  if (typeof o['@rawstring'] === 'string')
    return { text: withoutNewline(o['@rawstring']), partial: false, stream, origin };
  if (typeof o.line === 'string' && isObject(o.labels))
    return { text: withoutNewline(o.line), partial: false, stream, origin: labelOrigin(o.labels) };
  if (typeof o.message === 'string' && isObject(o.kubernetes))
    return { text: withoutNewline(o.message), partial: false, stream, origin };
  return null;
}

/**
 * The line inside a runtime or shipper envelope, or null when `line` has none. A shipper's text
 * that is itself a CRI line is unwrapped once more; its origin is the shipper's.
 */
export function unwrapContainerLine(line: string): ContainerLine | null {
  const c = line.charCodeAt(0);
  if (c >= 48 && c <= 57) return criLine(line) ?? logcliLine(line);
  if (c !== 123 /* { */) return null;
  const outer = jsonEnvelope(line);
  if (outer === null) return null;
  const inner = criLine(outer.text);
  return inner === null ? outer : { ...inner, origin: outer.origin };
}

/**
 * The pod a node's log file belongs to, from kubelet's paths:
 * `/var/log/pods/NAMESPACE_POD_UID/CONTAINER/N.log` (kubelet BuildPodLogsDirectory: the three
 * joined by `_`, which no Kubernetes name contains) and the links
 * `/var/log/containers/POD_NAMESPACE_CONTAINER-ID.log` (BuildContainerLogsPath / legacy links).
 */
export function originOfLogPath(path: string): Pick<LogOrigin, 'namespace' | 'pod' | 'container'> | null {
  const p = path.replace(/\\/g, '/');
  const pods = /(?:^|\/)pods\/([^/_]+)_([^/_]+)_[^/_]+\/([^/]+)\/\d+\.log(?:\.[^/]*)?$/.exec(p);
  if (pods) return { namespace: pods[1] ?? null, pod: pods[2] ?? null, container: pods[3] ?? null };
  const links = /(?:^|\/)([^/_]+)_([^/_]+)_([^/_]+)-[0-9a-f]{64}\.log$/.exec(p);
  if (links) return { namespace: links[2] ?? null, pod: links[1] ?? null, container: links[3] ?? null };
  return null;
}
