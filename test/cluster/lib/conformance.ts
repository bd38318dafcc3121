/**
 * Validation conformance: each object of a corpus file sent to the apiserver with dryRun=All
 * (server-side apply, fieldValidation=Strict as kubectl's default --validate=strict), beside
 * what `meshdbg lint` says about the same document.
 */
import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';
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
  readonly manifest: Manifest;
}

/** The objects of one file by document index; null when the file is not YAML/JSON at all. */
export function corpusObjects(file: string, relative: string): CorpusObject[] | null {
  let docs: unknown[];
  try {
    docs = loadAll(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  return docs.flatMap((d, doc) => {
    if (typeof d !== 'object' || d === null) return [];
    const m = d as Manifest;
    if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string' || typeof m.metadata !== 'object' || !m.metadata)
      return [];
    return m.kind === 'List' ? [] : [{ file: relative, doc, manifest: m }];
  });
}

export async function serverVerdict(client: RestClient, discovery: Discovery, m: Manifest): Promise<ServerVerdict> {
  const collection = discovery.collectionPath(m, 'default');
  if (!collection) return { outcome: 'not-served', reason: `no kind ${m.kind} in ${m.apiVersion} here` };
  const name = encodeURIComponent(String(m.metadata['name'] ?? ''));
  const query = 'fieldManager=meshdbg-conformance&force=true&dryRun=All&fieldValidation=Strict';
  const res = await client.call('PATCH', `${collection}/${name}?${query}`, m, 'application/apply-patch+yaml');
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
  readonly loc: { file: string; doc?: number } | null;
}

/** `meshdbg lint -o json` findings (stdout and stderr both carry JSON lines). */
export function parseLint(stdout: string, stderr: string): LintFinding[] {
  return `${stdout}\n${stderr}`
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LintFinding);
}
