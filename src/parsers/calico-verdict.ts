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

/** What follows `<iface>-<hook>` (from its `:`), anchored. */
const BPF_VERDICT_TAIL = /^: policy (ALLOWED|DENIED) +proto (\d+) src (\S+) dest (\S+)/;
const WHITESPACE = /\s/;

/** Where the run of non-space characters that ends just before `end` starts. */
function runStart(line: string, end: number): number {
  let i = end;
  while (i > 0 && !WHITESPACE.test(line[i - 1] as string)) i--;
  return i;
}

/**
 * The first `<iface>-<I|E|X>: policy ...` of the line, found from each `: policy ` in turn (the
 * interface is the non-space run before `-<hook>`). One pattern searching for the interface
 * itself, `(\S+)-([IEX]): policy ...`, backtracked over long runs of non-space text: 2.8 s for
 * one 60 KB line (log lines are read up to 64 KB).
 */
export function parseBpfVerdict(line: string): BpfVerdictFields | null {
  for (let at = line.indexOf(': policy '); at !== -1; at = line.indexOf(': policy ', at + 1)) {
    const hook = line[at - 1];
    if ((hook !== 'I' && hook !== 'E' && hook !== 'X') || line[at - 2] !== '-' || at < 3) continue;
    if (WHITESPACE.test(line[at - 3] as string)) continue;
    const m = BPF_VERDICT_TAIL.exec(line.slice(at));
    if (m === null) continue;
    return {
      iface: line.slice(runStart(line, at - 2), at - 2),
      hook,
      verdict: m[1] as 'ALLOWED' | 'DENIED',
      protocol: Number(m[2]),
      src: m[3] ?? null,
      dst: m[4] ?? null,
    };
  }
  return null;
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
