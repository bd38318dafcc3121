/**
 * Validation conformance: each object of a corpus file sent to the apiserver with dryRun=All
 * (server-side apply, fieldValidation=Strict as kubectl's default --validate=strict), beside
 * what `meshdbg lint` says about the same document.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { Discovery, Manifest } from './apply.js';
import type { RestClient } from './rest.js';

export interface ServerVerdict {
  readonly outcome: 'accepted' | 'rejected' | 'not-served';
  /** the server's message (Status.message), first line */
  readonly reason: string;
}

export interface CorpusObject {
  readonly file: string;
  readonly doc: number;
  /** 1-based lines of the document in its file, both inclusive */
  readonly firstLine: number;
  readonly lastLine: number;
  /** the document's own bytes: what kubectl would send, aliases unexpanded */
  readonly text: string;
  readonly manifest: Manifest;
}

/**
 * The objects of one file, one per YAML document (split at `---` lines), each with its line
 * range; documents js-yaml cannot read or that are no Kubernetes object are left out (kubectl
 * would fail before sending them). JSON files are one document.
 */
export function corpusObjects(file: string, relative: string): CorpusObject[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const chunks: { first: number; last: number }[] = [{ first: 1, last: lines.length }];
  lines.forEach((line, i) => {
    if (!/^---(\s.*)?$/.test(line)) return;
    chunks[chunks.length - 1]!.last = i;
    chunks.push({ first: i + 2, last: lines.length });
  });
  return chunks.flatMap(({ first, last }, doc) => {
    const text = lines.slice(first - 1, last).join('\n');
    let parsed: unknown;
    try {
      parsed = load(text);
    } catch {
      return [];
    }
    if (typeof parsed !== 'object' || parsed === null) return [];
    const m = parsed as Manifest;
    if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string' || typeof m.metadata !== 'object' || !m.metadata)
      return [];
    return m.kind.endsWith('List')
      ? []
      : [{ file: relative, doc, firstLine: first, lastLine: last, text, manifest: m }];
  });
}

export async function serverVerdict(client: RestClient, discovery: Discovery, o: CorpusObject): Promise<ServerVerdict> {
  const m = o.manifest;
  const collection = discovery.collectionPath(m, 'default');
  if (!collection) return { outcome: 'not-served', reason: `no kind ${m.kind} in ${m.apiVersion} here` };
  const name = encodeURIComponent(String(m.metadata['name'] ?? ''));
  const query = 'fieldManager=meshdbg-conformance&force=true&dryRun=All&fieldValidation=Strict';
  const res = await client.call('PATCH', `${collection}/${name}?${query}`, o.text, 'application/apply-patch+yaml');
  if (res.status >= 200 && res.status < 300) return { outcome: 'accepted', reason: '' };
  let message = res.body;
  try {
    message = String(res.json()['message'] ?? res.body);
  } catch {
    // not a Status object: keep the body
  }
  return { outcome: 'rejected', reason: `${res.status}: ${message.split('\n')[0]!.slice(0, 400)}` };
}

export interface LintFinding {
  readonly severity: string;
  readonly code: string;
  readonly loc: { file: string; line?: number; doc?: number } | null;
}

/** `meshdbg lint -o json` findings (stdout and stderr both carry JSON lines). */
export function parseLint(stdout: string, stderr: string): LintFinding[] {
  return `${stdout}\n${stderr}`
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LintFinding);
}
