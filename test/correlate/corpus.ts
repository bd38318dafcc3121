/** Runs a corpus fixture (test/fixtures/logs/{real,constructed}) through parser and correlator. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCorrelator } from '../../src/correlate/correlator.js';
import type { Denial } from '../../src/correlate/denial.js';
import { createLogParser } from '../../src/parsers/log-parser.js';
import type { UnrecognizedDenialLine } from '../../src/parsers/log-event.js';
import type { Snapshot } from '../../src/model/snapshot.js';

export const corpusDir = (kind: 'real' | 'constructed'): string =>
  fileURLToPath(new URL(`../fixtures/logs/${kind}/`, import.meta.url));

export interface CorpusResult {
  readonly lines: number;
  readonly denials: readonly Denial[];
  readonly unrecognized: readonly UnrecognizedDenialLine[];
}

export function runCorpusLines(lines: readonly string[], snapshot: Snapshot | null = null): CorpusResult {
  const parser = createLogParser();
  const correlator = createCorrelator(snapshot);
  lines.forEach((line, i) => parser.push(line, i + 1).forEach((e) => correlator.push(e)));
  parser.end().forEach((e) => correlator.push(e));
  return { lines: lines.length, denials: correlator.denials(), unrecognized: parser.unrecognizedDenials() };
}

export function corpusLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/** The fields a golden pins: what was found and how it was attributed. */
export function summary(d: Denial): Record<string, unknown> {
  return {
    time: d.time,
    cause: d.cause,
    layer: d.layer,
    enforcement: d.enforcement,
    attribution: d.attribution,
    confidence: d.confidence,
    reporter: d.reporter,
    ruleRef: d.ruleRef,
    policy: d.policy === null ? null : `${d.policy.kind} ${d.policy.namespace ?? ''}/${d.policy.name}`,
    tier: d.tier ?? null,
    policyId: d.policyId,
    source: d.source === 'unknown' ? 'unknown' : (d.source.name ?? d.source.ip),
    destination: d.destination === 'unknown' ? 'unknown' : (d.destination.name ?? d.destination.ip),
    request: d.request,
    count: d.count,
    evidenceLines: d.evidence.length,
    reason: d.reason,
  };
}
