/**
 * The explain view's query and result: the same explanation the CLI prints, through
 * the shared text formatter.
 */
import type { ExplainQuery } from '../../engine/index.js';
import type { EnginePort } from '../data/engine-port.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { ExplainForm } from '../state/navigation.js';
import { fixYaml } from '../../report/explanation-parts.js';
import { stripControl } from '../sanitize.js';
import { line, type DocLine, type Tone } from './doc.js';

/** Builds the query from the form; null with a reason when a field is invalid. */
export function explainQuery(source: string, form: ExplainForm, now: number): ExplainQuery | string {
  if (form.peer === null) return 'pick a destination first';
  const port = form.port.trim() === '' ? null : Number(form.port.trim());
  if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535)) return `port "${form.port}" is not a number from 1 to 65535`;
  const method = form.method.trim() === '' ? null : form.method.trim().toUpperCase();
  const path = form.path.trim() === '' ? null : form.path.trim();
  const jwt = form.jwt.trim() === '' ? null : { token: form.jwt.trim() };
  return {
    id: null,
    src: source,
    dst: form.peer,
    port,
    protocol: null,
    http: method === null && path === null ? null : { method, path, host: null, headers: {} },
    mtls: null,
    jwt,
    extAuthz: null,
    now: new Date(now).toISOString(),
    resolve: {},
    namespace: null,
    cni: null,
  };
}

const VERDICT_TONE: Readonly<Record<string, Tone>> = { allowed: 'ok', denied: 'error', conditional: 'warning', unsupported: 'warning' };

export interface ExplainResult {
  readonly lines: DocLine[];
  /** the fix as `kubectl apply -f` takes it (what `f` shows and `:w` writes); null when there is none */
  readonly fixYaml: string | null;
}

export function explainResultDoc(engine: EnginePort, snapshot: Snapshot, source: string, form: ExplainForm, now: number): ExplainResult {
  const query = explainQuery(source, form, now);
  if (typeof query === 'string') return { lines: [line(query, 'error')], fixYaml: null };
  const result = engine.explain(snapshot, query);
  if (result.kind === 'Error') {
    const out = [line(`${result.code}: ${stripControl(result.message)}`, 'error')];
    if (result.candidates.length > 0) out.push(line(`candidates: ${result.candidates.map((c) => stripControl(c)).join(', ')}`));
    return { lines: out, fixYaml: null };
  }
  const lines = engine.explanationLines(result, snapshot).map((l) => line(stripControl(l.text), l.role));
  const fixes = Array.isArray(result.fix) ? result.fix : [];
  return {
    lines: [line(`verdict: ${result.verdict}`, VERDICT_TONE[result.verdict] ?? 'plain'), ...lines],
    fixYaml: fixes.length > 0 ? stripControl(fixYaml(fixes), true) : null,
  };
}
