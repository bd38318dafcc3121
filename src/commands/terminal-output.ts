/**
 * The one chokepoint for text the non-interactive commands print: every string written to stdout
 * or stderr goes through util/terminal-text.ts, so no ESC or C1 byte from a manifest, log line or
 * cluster object reaches the terminal, whichever code path printed it. The TUI (Ink draws with
 * escape sequences of its own) scrubs its text in src/ui/sanitize.ts instead.
 */
import { escapeControlCharacters } from '../util/terminal-text.js';

const guarded = new WeakSet<NodeJS.WriteStream>();
const decoder = new TextDecoder();

function scrubChunk(chunk: unknown): unknown {
  if (typeof chunk === 'string') return escapeControlCharacters(chunk);
  if (chunk instanceof Uint8Array) return escapeControlCharacters(decoder.decode(chunk));
  return chunk;
}

function guardStream(stream: NodeJS.WriteStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => write(scrubChunk(chunk), ...rest)) as typeof stream.write;
}

/** Scrubs everything the process prints from now on (call before a non-interactive command runs). */
export function guardTerminalOutput(): void {
  guardStream(process.stdout);
  guardStream(process.stderr);
}
