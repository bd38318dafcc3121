/**
 * Calico lines that carry a policy verdict outside flow logs:
 * - eBPF dataplane, for packets that matched a `Log` rule (projectcalico/calico felix/bpf-gpl/skb.h):
 *   `<iface>-<I|E|X>: policy <ALLOWED|DENIED > proto <N> src <ip>:<port> dest <ip>:<port>`,
 *   usually read from the trace pipe (`bpf_trace_printk: ` may precede it);
 * - felix/syslog policy lines in `key=value` form that name `action`, `policy`, `tier` and `rule`
 *   (the shape this project's issue #12 describes; no verbatim sample was found, see
 *   test/fixtures/logs/constructed/calico-felix-syslog.source.md).
 */
import type { CalicoBpfVerdict, CalicoPolicyLog } from './log-event.js';
import { parsePolicyHitLabel } from './calico.js';

export type BpfVerdictFields = Omit<CalicoBpfVerdict, 'kind' | 'lineNo' | 'origin' | 'evidence' | 'time'>;

const BPF_VERDICT = /(\S+)-([IEX]): policy (ALLOWED|DENIED) +proto (\d+) src (\S+) dest (\S+)/;

export function parseBpfVerdict(line: string): BpfVerdictFields | null {
  if (line.indexOf(': policy ') === -1) return null;
  const m = BPF_VERDICT.exec(line);
  if (m === null) return null;
  return {
    iface: m[1] as string,
    hook: m[2] as 'I' | 'E' | 'X',
    verdict: m[3] as 'ALLOWED' | 'DENIED',
    protocol: Number(m[4]),
    src: m[5] ?? null,
    dst: m[6] ?? null,
  };
}

export type PolicyLogFields = Omit<CalicoPolicyLog, 'kind' | 'lineNo' | 'origin' | 'evidence' | 'time'>;

function kvValue(line: string, key: string): string | null {
  const m = new RegExp(`(?:^|\\s)${key}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`).exec(line);
  if (m === null) return null;
  const raw = m[1] as string;
  return raw.startsWith('"') ? raw.slice(1, -1) : raw;
}

/** `... action="deny" policy="NS/NAME" tier="T" rule=N ...`; null unless action and policy are both there. */
export function parsePolicyLogLine(line: string): PolicyLogFields | null {
  if (line.indexOf('action=') === -1 || line.indexOf('policy=') === -1) return null;
  const action = kvValue(line, 'action');
  const policy = kvValue(line, 'policy');
  if (action === null || policy === null) return null;
  const tier = kvValue(line, 'tier') ?? 'default';
  const rule = kvValue(line, 'rule') ?? '-2';
  const hit = parsePolicyHitLabel(`0|${tier}|${policy}|${action.toLowerCase()}|${rule}`);
  if (hit === null) return null;
  return {
    action: action.toLowerCase(),
    hit,
    src: kvValue(line, 'src') ?? kvValue(line, 'SRC'),
    dst: kvValue(line, 'dst') ?? kvValue(line, 'DST'),
  };
}
