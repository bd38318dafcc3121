/**
 * The bytes of an input file or of stdin, read whole, no more than one text can hold: V8's longest
 * string (buffer.constants.MAX_STRING_LENGTH, about 512 Mi UTF-16 units; UTF-8 has at least as many
 * bytes as characters, so a file of no more bytes always fits). A larger file is refused before it
 * is read, with its size and how to split it, rather than read whole and then failing to decode
 * (which was reported as "not UTF-8" at the column where the string ran out), and stdin stops being
 * read there rather than growing without end (`yes | meshdbg lint --from -`).
 */
import { constants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { inputError, MeshdbgError } from './errors.js';
import { fileErrorText } from './file-error-text.js';

export const MAX_INPUT_BYTES = constants.MAX_STRING_LENGTH;

const sizeText = (n: number): string => `${n.toLocaleString('en-US')} bytes (${(n / 1024 / 1024).toFixed(1)} MiB)`;

/** The refusal of an input larger than `max` bytes (`size`: how large, or null when stdin is not read to its end). */
export function tooLargeError(name: string, size: number | null, max: number, split: string): MeshdbgError {
  const what = size === null ? 'more' : `${sizeText(size)}, more`;
  return inputError('file-too-large', `${name}: ${what} than the ${sizeText(max)} meshdbg reads as one text`, split);
}

/** How to split a manifest dump (the usual input this large). */
export const SPLIT_MANIFESTS =
  'split it, e.g. one file per namespace: kubectl get pods,services,networkpolicies -n NS -o yaml > NS.yaml';

/**
 * The whole file, refused when unreadable (`unreadable-path`) or larger than `max` bytes
 * (`file-too-large`, with `split` as the fix).
 */
export async function readInputFile(file: string, split: string, max = MAX_INPUT_BYTES): Promise<Buffer> {
  try {
    const info = await stat(file);
    // a pipe (`--from <(kubectl get ... -o yaml)`) has no size to look at: read it, up to the limit
    if (!info.isFile()) return await readInputStream(createReadStream(file), file, split, max);
    if (info.size > max) throw tooLargeError(file, info.size, max, split);
    const bytes = await readFile(file);
    // it grew after the stat (a log being written): still no more than one text
    if (bytes.length > max) throw tooLargeError(file, bytes.length, max, split);
    return bytes;
  } catch (err) {
    if (err instanceof MeshdbgError) throw err;
    throw inputError('unreadable-path', `cannot read ${file}: ${fileErrorText(err)}`);
  }
}

/** All of `input` (stdin), refused as soon as it passes `max` bytes. */
export async function readInputStream(
  input: AsyncIterable<unknown>,
  name: string,
  split: string,
  max = MAX_INPUT_BYTES,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > max) throw tooLargeError(name, null, max, split);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
