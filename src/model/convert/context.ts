/**
 * Shared helpers for turning raw objects into typed resources: safe field access and
 * findings that carry the object, the field path and the source line.
 */
import type { ObjectRef, SourceLocation } from '../k8s.js';
import type { RawObject } from '../raw.js';
import { finding, type Finding, type FindingCode, type Severity } from '../findings.js';
import { lineOnPath } from './field-line.js';
import { quotedValue } from '../../util/cut-text.js';

export type Json = Readonly<Record<string, unknown>>;

export function isRecord(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function recordAt(v: unknown): Json | null {
  return isRecord(v) ? v : null;
}

export function arrayAt(v: unknown): readonly unknown[] | null {
  return Array.isArray(v) ? v : null;
}

export function stringAt(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

export function metadataOf(object: Json): Json {
  return recordAt(object['metadata']) ?? {};
}

/** Collects findings for one object. */
export class ConvertContext {
  readonly ref: ObjectRef;
  private readonly raw: RawObject;
  private readonly sink: Finding[];

  constructor(raw: RawObject, ref: ObjectRef, sink: Finding[]) {
    this.raw = raw;
    this.ref = ref;
    this.sink = sink;
  }

  get loc(): SourceLocation | null {
    return this.raw.loc;
  }

  /** The source line of a nested node, else of the object. */
  lineOf(node: unknown): number | null {
    if (node !== null && typeof node === 'object' && this.raw.lines) {
      const line = this.raw.lines.get(node);
      if (line !== undefined) return line;
    }
    return this.raw.loc?.line ?? null;
  }

  where(node?: unknown): string {
    return this.whereAt(this.lineOf(node));
  }

  private whereAt(line: number | null): string {
    const file = this.raw.loc?.file;
    const at = file ? `${file}${line ? `:${line}` : ''}: ` : '';
    const ns = this.ref.namespace ? `${this.ref.namespace}/` : '';
    return `${at}${this.ref.kind} ${ns}${this.ref.name}`;
  }

  report(code: FindingCode, field: string, reason: string, node?: unknown, severity?: Severity): void {
    // the field's own map or list when its path reaches one below `node` (a node is the field's
    // parent, or a scalar without a line of its own), else the node's line
    const nodeLine = this.lineOf(node);
    const pathLine = lineOnPath(this.raw.object, field, this.raw.lines);
    const line = pathLine !== null && (nodeLine === null || pathLine >= nodeLine) ? pathLine : nodeLine;
    const loc = this.raw.loc ? { ...this.raw.loc, line } : null;
    this.sink.push(
      finding(code, `${this.whereAt(line)}: ${field}: ${reason}`, { object: this.ref, field, loc, severity }),
    );
  }

  /**
   * A field the API types as a list, given as something else (`policyTypes: Egress`, `ports:
   * {port: 80}`): kubectl refuses it, and read as absent it changed the object without a word.
   */
  expectList(value: unknown, field: string, what: string, node: unknown): void {
    if (value !== undefined && value !== null && !Array.isArray(value))
      this.report('invalid-field', field, `must be a list of ${what}, got ${quotedValue(value)}`, node);
  }
}
