/**
 * Pretty-printed JSON records spread over many lines (a `{` alone on its line, as `jq .`,
 * `kubectl ... -o json` and copies into issues print them): lines are collected until the
 * braces balance, then parsed as one record. A trailing comma before `]` or `}` (common in
 * hand-edited samples) is tolerated.
 */

export class JsonBlock {
  private lines: string[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  startLine = 0;

  constructor(private readonly maxLines: number) {}

  get open(): boolean {
    return this.lines.length > 0;
  }

  /** true when `line` opens a multi-line JSON record. */
  static opens(line: string): boolean {
    let i = 0;
    while (i < line.length && line.charCodeAt(i) === 32) i++;
    if (line.charCodeAt(i) !== 123) return false;
    for (let k = i + 1; k < line.length; k++) if (line.charCodeAt(k) !== 32 && line.charCodeAt(k) !== 9) return false;
    return true;
  }

  begin(line: string, lineNo: number): void {
    this.lines = [];
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.startLine = lineNo;
    this.add(line);
  }

  /** Adds a line; returns the complete text when the record closed, or null. */
  add(line: string): string | null {
    this.lines.push(line);
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
      } else if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) this.depth--;
    }
    if (this.depth <= 0 || this.lines.length >= this.maxLines) return this.take();
    return null;
  }

  /** The lines collected so far (the record ends unfinished). */
  take(): string {
    const text = this.lines.join('\n');
    this.lines = [];
    return text;
  }

  rawLines(text: string): string[] {
    return text.split('\n');
  }
}

/** JSON.parse, then once more without trailing commas; null when neither parses to an object. */
export function parseLenientJson(text: string): Readonly<Record<string, unknown>> | null {
  for (const candidate of [text, text.replace(/,(\s*[}\]])/g, '$1')]) {
    try {
      const v: unknown = JSON.parse(candidate);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Readonly<Record<string, unknown>>;
      return null;
    } catch {
      // try the next candidate
    }
  }
  return null;
}
