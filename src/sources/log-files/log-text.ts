/**
 * Log files as people save them: `kubectl logs ... > f.log` in Windows PowerShell 5 writes UTF-16LE
 * with a BOM ("Unicode" is its default Out-File encoding), PowerShell 7 and editors may add a UTF-8
 * BOM, and archived logs are gzip files (`.gz`, or recognized by their magic bytes 1f 8b, RFC 1952
 * section 2.3.1). The text is decoded as the WHATWG Encoding Standard says (TextDecoder: a BOM
 * chooses and is stripped, invalid bytes become U+FFFD, never an exception).
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding
 * https://www.rfc-editor.org/rfc/rfc1952#page-6 ; https://encoding.spec.whatwg.org/#interface-textdecoder
 */
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { inputError } from '../../util/errors.js';
import { ENCODING_HEAD_BYTES, detectEncoding } from '../../util/utf8.js';

export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

function corruptGzip(name: string, err: unknown): Error {
  return inputError(
    'unreadable-logs',
    `cannot read --logs ${name}: it starts as gzip data but does not decompress (${(err as Error).message})`,
    'give the whole .gz file (gzip -t FILE checks it), or the uncompressed log',
  );
}

const asBytes = (chunk: unknown): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);

/** Reads until ENCODING_HEAD_BYTES bytes (or the end) are there; returns them and the rest of the stream. */
async function splitHead(input: AsyncIterable<unknown>): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const it = input[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let ended = false;
  while (head.length < ENCODING_HEAD_BYTES && !ended) {
    const r = await it.next();
    if (r.done === true) ended = true;
    else head = Buffer.concat([head, asBytes(r.value)]);
  }
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    for (let r = await it.next(); r.done !== true; r = await it.next()) yield asBytes(r.value);
  }
  return { head, all: all() };
}

function gunzipped(bytes: AsyncIterable<Buffer>, name: string): AsyncIterable<Buffer> {
  const gunzip = createGunzip();
  let failure: unknown = null;
  pipeline(Readable.from(bytes), gunzip, (err) => {
    if (err) failure = err;
  });
  return (async function* () {
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (err) {
      throw corruptGzip(name, err);
    }
    if (failure !== null) throw corruptGzip(name, failure);
  })();
}

/**
 * Decoded text chunks of a byte stream (a file or stdin), as soon as they arrive: a pipe is not
 * read to its end first. Gzip is recognized by its magic bytes, then the content by its BOM.
 */
export async function* decodeLogStream(input: AsyncIterable<unknown>, name: string): AsyncGenerator<string> {
  let { head, all } = await splitHead(input);
  if (isGzip(head)) ({ head, all } = await splitHead(gunzipped(all, name)));
  const decoder = new TextDecoder(detectEncoding(head));
  for await (const chunk of all) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const tail = decoder.decode();
  if (tail !== '') yield tail;
}
