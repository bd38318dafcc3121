import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLogParser, type LogParserOptions } from '../../src/parsers/log-parser.js';
import type { LogEvent, ParseIssue } from '../../src/parsers/log-event.js';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/logs/${name}`, import.meta.url));
}

/** Parses lines through one streaming parser; returns events (after end()) and issues. */
export function parseLines(
  lines: readonly string[],
  options?: LogParserOptions,
): { events: LogEvent[]; issues: readonly ParseIssue[] } {
  const parser = createLogParser(options);
  const events: LogEvent[] = [];
  lines.forEach((line, i) => events.push(...parser.push(line, i + 1)));
  events.push(...parser.end());
  return { events, issues: parser.issues() };
}

export function parseFixture(
  name: string,
  options?: LogParserOptions,
): { events: LogEvent[]; issues: readonly ParseIssue[] } {
  const text = readFileSync(fixturePath(name), 'utf8');
  return parseLines(
    text.split('\n').filter((l) => l !== ''),
    options,
  );
}

export function ofKind<K extends LogEvent['kind']>(
  events: readonly LogEvent[],
  kind: K,
): Extract<LogEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<LogEvent, { kind: K }> => e.kind === kind);
}
