/**
 * The one chokepoint for text the non-interactive commands print: every string written to stdout
 * or stderr goes through util/terminal-text.ts, so no ESC or C1 byte from a manifest, log line or
 * cluster object reaches the terminal, whichever code path printed it. The TUI (Ink draws with
 * escape sequences of its own) scrubs its text in src/ui/sanitize.ts instead.
 */
import { escapeControlCharacters } from '../util/terminal-text.js';

type Write = (...args: unknown[]) => boolean;
/** each guarded stream's own write, for the few sequences meshdbg itself composes */
const unguarded = new WeakMap<NodeJS.WriteStream, Write>();
const decoder = new TextDecoder();

function scrubChunk(chunk: unknown): unknown {
  if (typeof chunk === 'string') return escapeControlCharacters(chunk);
  if (chunk instanceof Uint8Array) return escapeControlCharacters(decoder.decode(chunk));
  return chunk;
}

function guardStream(stream: NodeJS.WriteStream): void {
  if (unguarded.has(stream)) return;
  const write = stream.write.bind(stream) as Write;
  unguarded.set(stream, write);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => write(scrubChunk(chunk), ...rest)) as typeof stream.write;
}

/** Scrubs everything the process prints from now on (call before a non-interactive command runs). */
export function guardTerminalOutput(): void {
  guardStream(process.stdout);
  guardStream(process.stderr);
}

/**
 * Writes `text` past the guard: only for text meshdbg composes itself from numbers and fixed words
 * (the progress line's carriage return and erase-line), never for anything read from input.
 */
export function writeComposedControl(stream: NodeJS.WriteStream, text: string): void {
  (unguarded.get(stream) ?? (stream.write.bind(stream) as Write))(text);
}
