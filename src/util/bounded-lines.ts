/**
 * Lines of a decoded text stream, each at most `maxChars` long: the rest of a longer line is
 * skipped as it arrives, never held, so a 2 GB line with no newline (a binary file, a file of NUL
 * bytes, a runaway JSON line) costs `maxChars` of memory and the lines after it are still read.
 * Node's readline keeps a whole line in one string: past V8's longest string (~512 Mi chars) it
 * throws "Invalid string length" and the file is lost, before that it holds all of it.
 * Line ends are readline's (https://nodejs.org/api/readline.html#event-line): \n, \r\n, or a
 * lone \r, with a \r\n split across two chunks counted once (crlfDelay: Infinity).
 */

export interface BoundedLine {
  /** The line, without its line end, cut to maxChars. */
  readonly text: string;
  /** Its full length in UTF-16 units; more than text.length when it was cut. */
  readonly length: number;
}

const LINE_END = /\r\n|\n|\r/g;

export async function* boundedLines(chunks: AsyncIterable<string>, maxChars: number): AsyncGenerator<BoundedLine> {
  let head = ''; // the current line so far, at most maxChars
  let length = 0; // its full length so far
  let skipLf = false; // the last chunk ended with \r: a \n starting the next one ends nothing
  const take = (piece: string): void => {
    if (head.length < maxChars)
      head += piece.length <= maxChars - head.length ? piece : piece.slice(0, maxChars - head.length);
    length += piece.length;
  };
  for await (const chunk of chunks) {
    let start = skipLf && chunk.startsWith('\n') ? 1 : 0;
    skipLf = false;
    LINE_END.lastIndex = start;
    for (let m = LINE_END.exec(chunk); m !== null; m = LINE_END.exec(chunk)) {
      take(chunk.slice(start, m.index));
      yield { text: head, length };
      head = '';
      length = 0;
      start = m.index + m[0].length;
      if (m[0] === '\r' && start === chunk.length) skipLf = true;
    }
    take(chunk.slice(start));
  }
  if (length > 0) yield { text: head, length };
}
