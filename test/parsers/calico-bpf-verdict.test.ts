/**
 * The Calico eBPF verdict line, `<iface>-<I|E|X>: policy <ALLOWED|DENIED> proto <N> src <ip>:<port>
 * dest <ip>:<port>` (projectcalico/calico felix/bpf-gpl/skb.h; real lines in
 * test/fixtures/logs/real/calico-ebpf-verdict.log), read from each `: policy ` marker rather than
 * by one pattern that searches for the interface: that one backtracked over long non-space runs.
 */
import { describe, expect, it } from 'vitest';
import { parseBpfVerdict } from '../../src/parsers/calico-verdict.js';
import { seededRandom } from '../../src/util/random.js';

/** The format as one pattern, as the parser read it before: the grammar the lines follow. */
const GRAMMAR = /(\S+)-([IEX]): policy (ALLOWED|DENIED) +proto (\d+) src (\S+) dest (\S+)/;

function byGrammar(line: string): ReturnType<typeof parseBpfVerdict> {
  const m = GRAMMAR.exec(line);
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

describe('Calico eBPF verdict lines', () => {
  it('a real line', () => {
    expect(
      parseBpfVerdict('cali8d1e69e5f89-E: policy ALLOWED proto 17 src 10.65.0.3:46519 dest 172.18.0.6:8055'),
    ).toEqual({
      iface: 'cali8d1e69e5f89',
      hook: 'E',
      verdict: 'ALLOWED',
      protocol: 17,
      src: '10.65.0.3:46519',
      dst: '172.18.0.6:8055',
    });
  });

  it('gives what the grammar gives on random lines: verdicts with pieces dropped, swapped or added', () => {
    const junk = ['', ' ', '\t', 'a', '-', ':', 'x-I', ': policy ', 'bpf_trace_printk: ', '-E: policy DENIED'];
    const parts = [
      ['cali1', 'eth0', 'a-b', ''],
      ['-I', '-E', '-X', '-Q', 'I', ''],
      [': policy ', ':policy ', ': policy  ', ' policy '],
      ['ALLOWED', 'DENIED', 'DENIED ', 'OK'],
      [' proto 6', '  proto 17', ' proto x', ''],
      [' src 10.0.0.1:80', ' src ', ' src a b'],
      [' dest 10.0.0.2:443', ' dest', ''],
    ];
    const random = seededRandom(11);
    const pick = (list: readonly string[]): string => list[Math.floor(random.next() * list.length)] as string;
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const line = [
        pick(junk),
        pick(junk),
        ...parts.map((p) => (random.next() < 0.7 ? (p[0] as string) : pick(p))),
        pick(junk),
        pick(junk),
      ].join('');
      const expected = byGrammar(line);
      expect(parseBpfVerdict(line), line).toEqual(expected);
      if (expected) matched++;
    }
    // not vacuous: both outcomes come up often
    expect(matched).toBeGreaterThan(1000);
    expect(matched).toBeLessThan(19_000);
  });

  it('a verdict after a 60 KB run of other text, and a 60 KB run with no verdict (no backtracking)', () => {
    const run = 'a'.repeat(60_000);
    const verdict = 'cali1-I: policy DENIED proto 6 src 10.0.0.1:1 dest 10.0.0.2:2';
    expect(parseBpfVerdict(`${run} ${verdict}`)?.iface).toBe('cali1');
    expect(parseBpfVerdict(`${run}-I: policy DENIED proto 6 src a dest b`)?.iface).toBe(run);
    expect(parseBpfVerdict(`${run}: policy ALLOWED`)).toBeNull();
    expect(parseBpfVerdict(`${run}-I: policy `.repeat(200))).toBeNull();
  });
});
