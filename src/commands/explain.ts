/** `meshdbg explain SRC DST` / `--explain` / `--batch`: sources -> engine -> report; exit codes. */
import { readInputFile, readInputStream } from '../util/input-bytes.js';
import { createReadStream } from 'node:fs';
import { explain } from '../engine/index.js';
import type { ExplainError, ExplainQuery, Explanation, HttpRequestSpec, JwtSpec } from '../engine/index.js';
import type { Snapshot } from '../model/snapshot.js';
import { formatExplanationText } from '../report/text.js';
import { toJsonPretty, toYaml } from '../report/json.js';
import { inputError } from '../util/errors.js';
import { escapeControlCharacters } from '../util/terminal-text.js';
import { answerBatchLine, MAX_QUERY_LINE_CHARS, overlongLine } from './explain-batch-line.js';
import { boundedLines } from '../util/bounded-lines.js';
import { answerSharingLines, sharesLines, startBatchPool } from './explain-batch-workers.js';
import type { WorkerPool } from './explain-batch-worker-pool.js';
import { availableParallelism, loadavg } from 'node:os';
import { assertLoadable, loadSnapshotFor } from './load-snapshot.js';
import { nowFromFlag, oneNamespace, outputFormat, parseCommandLine, type Options } from './options.js';
import { QueryError, parseCni, parsePort, parseProtocol, resolvedAddresses } from '../parsers/explain-query.js';
import { writeStdout } from './stdout-writer.js';
import { headerFlag, sendableRequest } from '../parsers/http-request-checks.js';
import { addHeader } from '../util/header-map.js';

export const EXIT = { allowed: 0, denied: 1, badInput: 2, unreachable: 3, conditional: 4 } as const;

function httpFromFlags(v: Options): HttpRequestSpec | null {
  if (v.method === undefined && v.path === undefined && v.host === undefined && !v.header?.length) return null;
  const headers: Record<string, string> = {};
  for (const h of v.header ?? []) {
    const header = headerFlag(h);
    if (header === null)
      throw inputError(
        'bad-flag',
        `--header ${h}: write it as NAME=VALUE or 'NAME: VALUE', e.g. --header x-user=alice`,
      );
    addHeader(headers, header.name, header.value);
  }
  const http = { method: v.method?.toUpperCase() ?? null, path: v.path ?? null, host: v.host ?? null, headers };
  const sent = sendableRequest(http, (field) => `--${field}`);
  if ('refusal' in sent) throw inputError('bad-flag', sent.refusal);
  return sent.http;
}

async function jwtFromFlags(v: Options): Promise<JwtSpec | null> {
  if (v.jwt !== undefined && v['jwt-claims'] !== undefined)
    throw inputError('bad-flag', 'give --jwt or --jwt-claims, not both');
  if (v['jwt-claims'] !== undefined) {
    try {
      const claims = JSON.parse(v['jwt-claims']) as unknown;
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new Error('not an object');
      return { claims: claims as Record<string, unknown> };
    } catch (err) {
      throw inputError(
        'bad-flag',
        `--jwt-claims: not a JSON object (${(err as Error).message})`,
        `e.g. --jwt-claims '{"iss":"testing@secure.istio.io","sub":"u1"}'`,
      );
    }
  }
  if (v.jwt === undefined) return null;
  let token = v.jwt;
  if (token === '-') token = await readAllStdin();
  else if (token.startsWith('@')) {
    token = (await readInputFile(token.slice(1), A_JWT, MAX_JWT_BYTES)).toString('utf8');
  }
  token = token.trim();
  // an empty file or stdin would ask without a token, which is not what --jwt asked for
  if (token === '')
    throw inputError('bad-flag', `--jwt ${v.jwt}: no token in it`, `${A_JWT}; or --jwt-claims '{"sub":"u1"}'`);
  return { token };
}

/**
 * A token file or stdin is read no further than this: a JWT is a few KB, and Envoy refuses request
 * headers over 60 KiB by default (max_request_headers_kb,
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto).
 */
const MAX_JWT_BYTES = 1024 * 1024;
const A_JWT = '--jwt takes one token (header.payload.signature), a few KB';

async function readAllStdin(): Promise<string> {
  return (await readInputStream(process.stdin, '--jwt -', A_JWT, MAX_JWT_BYTES)).toString('utf8');
}

function resolveFromFlags(v: Options): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of v.resolve ?? []) {
    const eq = r.indexOf('=');
    if (eq <= 0) throw inputError('bad-flag', `--resolve ${r}: write it as HOST=IP[,IP]`);
    const host = r.slice(0, eq);
    out[host] = resolvedAddresses(
      host,
      r
        .slice(eq + 1)
        .split(',')
        .filter(Boolean),
    );
  }
  return out;
}

function flagDefaults(v: Options, jwt: JwtSpec | null): Partial<ExplainQuery> {
  const ext = v['ext-authz'];
  if (ext !== undefined && ext !== 'allow' && ext !== 'deny')
    throw inputError('bad-flag', `--ext-authz ${ext}: must be allow or deny`);
  if (v.mtls && v['no-mtls']) throw inputError('bad-flag', 'give --mtls or --no-mtls, not both');
  try {
    return {
      protocol: parseProtocol(v.protocol),
      http: httpFromFlags(v),
      mtls: v.mtls ? true : v['no-mtls'] ? false : null,
      jwt,
      extAuthz: (ext as 'allow' | 'deny' | undefined) ?? null,
      now: nowFromFlag(v),
      resolve: resolveFromFlags(v),
      namespace: oneNamespace(v),
      // --cni, else the MESHDBG_CNI environment variable, else detected from the input
      cni: parseCni(v.cni ?? process.env['MESHDBG_CNI']),
    };
  } catch (err) {
    if (err instanceof QueryError) throw inputError('bad-flag', err.message);
    throw err;
  }
}

export function verdictExit(e: Explanation): number {
  switch (e.verdict) {
    case 'allowed':
      return EXIT.allowed;
    case 'denied':
      return EXIT.denied;
    default:
      return EXIT.conditional;
  }
}

function render(result: Explanation | ExplainError, format: string, snapshot: Snapshot): string {
  if (format === 'json') return `${toJsonPretty(result)}\n`;
  if (format === 'yaml') return toYaml(result);
  return escapeControlCharacters(
    result.kind === 'Error' ? `${result.message}\n` : formatExplanationText(result, snapshot),
  );
}

/** One flow's question as the command line asks it, refused before anything is read. */
interface SingleQuestion {
  readonly src: string;
  readonly dst: string;
  readonly port: number | null;
  readonly format: ReturnType<typeof outputFormat>;
}

function singleQuestion(v: Options, positionals: readonly string[]): SingleQuestion {
  if (positionals.length !== 2)
    throw inputError(
      'bad-flag',
      `explain needs SRC and DST, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`,
      'meshdbg explain SRC DST --port N --from PATH',
    );
  let port: number | null;
  try {
    port = parsePort(v.port);
  } catch (err) {
    throw inputError('bad-flag', `--port: ${(err as Error).message}`);
  }
  return { src: positionals[0] as string, dst: positionals[1] as string, port, format: outputFormat(v) };
}

/** --batch takes its peers from its lines and writes JSON lines only. */
function refuseBatchShape(v: Options, positionals: readonly string[]): void {
  if (v.output !== undefined && v.output !== 'json')
    throw inputError(
      'bad-flag',
      `--batch writes JSON lines; -o ${v.output} is not available with it`,
      'drop -o or use -o json',
    );
  if (positionals.length)
    throw inputError('bad-flag', '--batch reads SRC/DST from its lines; drop the positional arguments');
}

type Asked =
  { readonly kind: 'single'; readonly question: SingleQuestion } | { readonly kind: 'batch'; readonly source: string };

function askedBy(v: Options, positionals: readonly string[]): Asked {
  if (v.batch === undefined) return { kind: 'single', question: singleQuestion(v, positionals) };
  refuseBatchShape(v, positionals);
  return { kind: 'batch', source: v.batch };
}

async function runSingle(
  question: SingleQuestion,
  snapshot: Snapshot,
  defaults: Partial<ExplainQuery>,
  partialView: (e: Explanation) => Explanation,
): Promise<number> {
  const query: ExplainQuery = {
    ...(defaults as ExplainQuery),
    id: null,
    src: question.src,
    dst: question.dst,
    port: question.port,
  };
  const format = question.format;
  const answer = explain(snapshot, query);
  const result = answer.kind === 'Error' ? answer : partialView(answer);
  if (result.kind === 'Error') {
    if (format === 'text') {
      process.stderr.write(escapeControlCharacters(`meshdbg: ${result.message}\n`));
      if (result.candidates.length)
        process.stderr.write(escapeControlCharacters(`  candidates: ${result.candidates.join(', ')}\n`));
    } else process.stdout.write(render(result, format, snapshot));
    return EXIT.badInput;
  }
  process.stdout.write(render(result, format, snapshot));
  return verdictExit(result);
}

/** How `runBatch` spreads a large file's lines over threads (explain-batch-workers.ts). */
export interface BatchOptions {
  /** threads answering lines, this one included; 1 (the default) answers every line here. Only with the identity partialView */
  readonly workers?: number;
  /** a smaller FILE stays on one thread (default MIN_SHARED_BYTES) */
  readonly minBytes?: number;
  /** worker threads started before the Snapshot was loaded (startBatchPool), else started here */
  readonly pool?: WorkerPool;
}

/**
 * The batch's lines (readline's line ends), a line too long to be a query passed on as overlongLine,
 * and a UTF-8 byte order mark before the first dropped (Windows editors write one; JSON.parse
 * refuses it, and the manifest reader drops it too).
 */
async function* batchLines(text: AsyncIterable<string>): AsyncGenerator<string> {
  let first = true;
  for await (const line of boundedLines(text, MAX_QUERY_LINE_CHARS)) {
    const t = first && line.text.startsWith('\uFEFF') ? line.text.slice(1) : line.text;
    first = false;
    yield line.length > line.text.length ? overlongLine(line.length) : t;
  }
}

/**
 * One JSON query per line in, one JSON result per line out, in order: output line N answers
 * input line N, a blank line included (an `empty-line` Error that does not change the exit
 * status). Each answer waits for `write`, so output is never buffered faster than it is read.
 * A FILE of many lines is shared with worker threads (explain-batch-workers.ts), same bytes out.
 */
export async function runBatch(
  source: string,
  snapshot: Snapshot,
  defaults: Partial<ExplainQuery>,
  write: (line: string) => Promise<void> | void,
  partialView: (e: Explanation) => Explanation = (e) => e,
  options: BatchOptions = {},
): Promise<number> {
  const input = source === '-' ? process.stdin.setEncoding('utf8') : createReadStream(source, { encoding: 'utf8' });
  const lines = batchLines(input as AsyncIterable<string>);
  let errors = 0;
  try {
    // stdin stays on this thread: a reader that sends a query only after reading the previous
    // answer (a coprocess) must get each answer before the next line arrives
    const workers = options.workers ?? 1;
    if (sharesLines(source, workers, options.minBytes)) {
      const pool = options.pool ?? startBatchPool(workers);
      errors = await answerSharingLines(lines, { snapshot, defaults, partialView, write, pool }, workers);
    } else {
      void options.pool?.stop();
      let lineNo = 0;
      for await (const line of lines) {
        const answer = answerBatchLine(line, ++lineNo, snapshot, defaults, partialView);
        if (answer.error) errors++;
        await write(answer.text);
      }
    }
  } catch (err) {
    throw inputError('unreadable-batch', `--batch ${source}: ${(err as Error).message}`);
  }
  if (errors > 0)
    process.stderr.write(`meshdbg: ${errors} of the batch lines could not be answered (see their Error objects)\n`);
  return errors > 0 ? EXIT.badInput : 0;
}

/** At most this many threads by default: more copies of a large Snapshot cost memory for little gain. */
const DEFAULT_MAX_WORKERS = 4;

/**
 * `--workers N`: threads answering a large --batch FILE (1 = this thread only). By default one per
 * CPU that is idle now (the 1-minute load average: https://nodejs.org/api/os.html#osloadavg), up
 * to 4: on a busy machine extra threads only take turns with each other, and the copies of the
 * Snapshot and of its caches cost CPU time, so a loaded machine answers on one thread.
 */
export function batchWorkers(
  flag: string | undefined,
  machine: { cpus: number; load: number } = { cpus: availableParallelism(), load: loadavg()[0] ?? 0 },
): number {
  if (flag === undefined) {
    const idle = Math.round(machine.cpus - machine.load);
    return Math.max(1, Math.min(idle, machine.cpus, DEFAULT_MAX_WORKERS));
  }
  if (!/^[1-9][0-9]{0,2}$/.test(flag))
    throw inputError(
      'bad-flag',
      `--workers ${flag}: must be a whole number from 1 to 999`,
      '--workers 1 answers on one thread',
    );
  return Number(flag);
}

/** Worker threads for a large --batch FILE over --from files, started before the mesh is read so that they load meanwhile. */
function earlyBatchPool(v: Options): { workers: number; pool: WorkerPool | null } {
  if (v.batch === undefined || (v.from ?? []).length === 0) return { workers: 1, pool: null };
  const workers = batchWorkers(v.workers);
  return { workers, pool: sharesLines(v.batch, workers) ? startBatchPool(workers) : null };
}

export async function runExplain(argv: readonly string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv);
  const stdinReaders = [
    v.batch === '-' ? '--batch -' : null,
    (v.from ?? []).includes('-') ? '--from -' : null,
    v.jwt === '-' ? '--jwt -' : null,
  ].filter((r) => r !== null);
  if (stdinReaders.length > 1)
    throw inputError(
      'bad-flag',
      `${stdinReaders.join(' and ')} cannot ${stdinReaders.length === 2 ? 'both' : 'all'} read stdin`,
      'put all but one of them in a file (--jwt @FILE)',
    );
  // the question's shape and flags are refused before the manifests or the cluster are read
  // (reading can take seconds)
  const ask = askedBy(v, positionals);
  const defaults = flagDefaults(v, await jwtFromFlags(v));
  const early = earlyBatchPool(v);
  try {
    const loaded = await loadSnapshotFor(v);
    assertLoadable(loaded.findings);
    if (loaded.status) process.stderr.write(`meshdbg: ${loaded.status}\n`);
    if (ask.kind === 'single') return runSingle(ask.question, loaded.snapshot, defaults, loaded.partialView);
    // a live cluster's or a snapshot file's partial view marks answers on this thread only
    const workers = loaded.gaps.length === 0 ? early.workers : 1;
    const pool = workers > 1 ? (early.pool ?? undefined) : undefined;
    return await runBatch(ask.source, loaded.snapshot, defaults, writeStdout, loaded.partialView, { workers, pool });
  } finally {
    await early.pool?.stop();
  }
}
