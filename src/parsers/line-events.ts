/**
 * Single-line records: access logs (text and JSON), JSON proxy/agent lines, Calico flows,
 * Calico packet logs, kube-router controller lines, Istio Go component health lines.
 */
import {
  accessLogFieldsFromJson,
  interpretAccessLog,
  isJsonAccessLog,
  parseTextAccessLog,
  restoreCutRequestHead,
  type AccessLogFields,
} from './access-log.js';
import { parseCalicoPacketLine } from './calico.js';
import { parseKubeRouterPacketLine } from './kube-router-nflog.js';
import { flowFromJson, isFlowJson } from './calico-flow.js';
import { envoyHeadFromJson, parseIstioGoHead, type EnvoyHead } from './envoy-line.js';
import { parseKubeRouterLine } from './kube-router.js';
import { findExcessiveNesting, MAX_NESTING_DEPTH } from '../util/nesting-depth.js';
import type { LogEvent, LogOrigin, ParseIssueCode } from './log-event.js';
import { detectMeshHealth } from './mesh-health.js';
import { parseBpfVerdict, parsePolicyLogLine } from './calico-verdict.js';
import { parseLenientJson } from './json-block.js';
import { isMixerLogJson, mixerLogFromJson } from './mixer-log.js';
import { isZtunnelJson, parseZtunnelText, ztunnelFromJson } from './ztunnel.js';
import { sanitizeEvidence } from '../util/redact.js';

export interface IssueSink {
  issue(lineNo: number, code: ParseIssueCode, message: string): void;
}

function accessEntry(
  f: AccessLogFields,
  format: 'text' | 'json',
  line: string,
  lineNo: number,
  origin: LogOrigin | null,
): LogEvent {
  return {
    kind: 'AccessLogEntry',
    format,
    lineNo,
    origin,
    evidence: [sanitizeEvidence(line)],
    ...f,
    ...interpretAccessLog(f),
  };
}

export function accessLogEvent(
  line: string,
  lineNo: number,
  origin: LogOrigin | null,
  sink: IssueSink,
): LogEvent | null {
  const f = parseTextAccessLog(line);
  if (f !== null) return accessEntry(f, 'text', line, lineNo, origin);
  if (line.charCodeAt(0) === 91)
    sink.issue(
      lineNo,
      'malformed-access-log',
      `line ${lineNo} starts like an access log but its columns do not match the Istio format`,
    );
  return null;
}

function healthEvent(
  message: string,
  level: string | null,
  component: string | null,
  time: string | null,
  line: string,
  lineNo: number,
  origin: LogOrigin | null,
): LogEvent | null {
  const health = detectMeshHealth(message);
  if (health === null) return null;
  return {
    kind: 'MeshHealthEvent',
    lineNo,
    time,
    origin,
    evidence: [sanitizeEvidence(line)],
    ...health,
    level,
    component,
    message: sanitizeEvidence(message),
  };
}

/** An RFC3339 line that is not Envoy's: pilot-agent / istiod (`TIME LEVEL [SCOPE] MSG`). */
export function istioGoLineEvent(line: string, lineNo: number, origin: LogOrigin | null): LogEvent | null {
  const head = parseIstioGoHead(line);
  if (head === null || head.level === 'debug') return null;
  return healthEvent(head.message, head.level, head.scope, head.time, line, lineNo, origin);
}

/** A JSON line: an Envoy head to assemble, or a finished event, or null. */
export function jsonLineEvent(
  line: string,
  lineNo: number,
  origin: LogOrigin | null,
  sink: IssueSink,
): LogEvent | { head: EnvoyHead } | null {
  if (findExcessiveNesting(line)) {
    sink.issue(lineNo, 'malformed-json', `line ${lineNo} nests deeper than ${MAX_NESTING_DEPTH} levels; skipped`);
    return null;
  }
  const obj = parseLenientJson(line);
  if (obj === null) {
    sink.issue(lineNo, 'malformed-json', `line ${lineNo} starts with { but is not valid JSON (truncated?)`);
    return null;
  }
  return jsonObjectEvent(obj, [line], lineNo, origin, sink);
}

/** One JSON record (a line, or a pretty-printed block of `lines`). */
export function jsonObjectEvent(
  obj: Readonly<Record<string, unknown>>,
  lines: readonly string[],
  lineNo: number,
  origin: LogOrigin | null,
  sink: IssueSink,
): LogEvent | { head: EnvoyHead } | null {
  const envoy = envoyHeadFromJson(obj);
  if (envoy !== null) return { head: envoy };
  const evidence = lines.map(sanitizeEvidence);
  if (isJsonAccessLog(obj)) {
    const f = accessLogFieldsFromJson(obj);
    return { kind: 'AccessLogEntry', format: 'json', lineNo, origin, evidence, ...f, ...interpretAccessLog(f) };
  }
  if (isFlowJson(obj)) {
    const flow = flowFromJson(obj);
    if (flow === null)
      sink.issue(lineNo, 'malformed-flow', `line ${lineNo} looks like a Calico flow but has no action`);
    return flow === null ? null : { kind: 'CalicoFlow', lineNo, origin, evidence, ...flow };
  }
  if (isZtunnelJson(obj)) return ztunnelFromJson(obj, lines, lineNo, origin);
  if (isMixerLogJson(obj)) return { kind: 'MixerLogEntry', lineNo, origin, evidence, ...mixerLogFromJson(obj) };
  const msg = obj['msg'];
  if (typeof msg !== 'string') return null;
  const str = (k: string): string | null => (typeof obj[k] === 'string' ? (obj[k] as string) : null);
  return healthEvent(msg, str('level'), str('scope'), str('time'), lines.join('\n'), lineNo, origin);
}

/** A line without a known head: ztunnel text without its time column, eBPF verdicts, policy key=value lines. */
export function bareLineEvent(line: string, lineNo: number, origin: LogOrigin | null): LogEvent | null {
  const z = parseZtunnelText(line, lineNo, origin);
  if (z !== null) return z;
  const cut = restoreCutRequestHead(line);
  const access = cut === null ? null : parseTextAccessLog(cut);
  if (access !== null) return accessEntry(access, 'text', line, lineNo, origin);
  const base = { lineNo, origin, evidence: [sanitizeEvidence(line)], time: null };
  const bpf = parseBpfVerdict(line);
  if (bpf !== null) return { kind: 'CalicoBpfVerdict', ...base, ...bpf };
  const pol = parsePolicyLogLine(line);
  return pol === null ? null : { kind: 'CalicoPolicyLog', ...base, ...pol };
}

/** syslog / kernel / klog heads: Calico packet logs and kube-router controller lines. */
export function otherLineEvent(line: string, lineNo: number, origin: LogOrigin | null): LogEvent | null {
  const pol = parsePolicyLogLine(line);
  if (pol !== null)
    return { kind: 'CalicoPolicyLog', lineNo, origin, evidence: [sanitizeEvidence(line)], time: null, ...pol };
  const nflog = parseKubeRouterPacketLine(line);
  if (nflog !== null)
    return { kind: 'KubeRouterPacketLog', lineNo, origin, evidence: [sanitizeEvidence(line)], ...nflog };
  const packet = parseCalicoPacketLine(line);
  if (packet !== null)
    return { kind: 'CalicoPacketLog', lineNo, origin, evidence: [sanitizeEvidence(line)], ...packet };
  const kr = parseKubeRouterLine(line);
  if (kr === null) return bareLineEvent(line, lineNo, origin);
  return { kind: 'CniHealthEvent', cni: 'kube-router', lineNo, origin, evidence: [sanitizeEvidence(line)], ...kr };
}
