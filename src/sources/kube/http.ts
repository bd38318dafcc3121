/**
 * Raw HTTP to the API server with the kubeconfig's credentials and TLS settings.
 * Objects stay in API wire JSON (NetworkPolicy `from`, not client-node's `_from`).
 * GETs are retried on 429 and transient 5xx / connection errors, a bounded number of
 * times, honouring Retry-After, as client-go's rest client does
 * (kubernetes/client-go:rest/with_retry.go `IsNextRetry`/`checkWait`, maxRetries 10 in
 * rest/request.go); meshdbg retries fewer times and adds jitter when no Retry-After is sent.
 */
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { KubeConfig } from '@kubernetes/client-node';
import { boundExecCredentials, MAX_PLUGIN_OUTPUT_CHARS } from './exec-credential.js';
import type { ExecBound } from './exec-credential.js';
import { sleep } from './sleep.js';
import { serverText } from './server-text.js';

/** An API answer that is not 2xx (`status` 0 when the server could not be reached). */
export class KubeHttpError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly path: string;
  /** The server's Retry-After, in seconds, when it sent one. */
  readonly retryAfterSeconds: number | null;

  /** `message` may come from the server: it is made inert and cut (see server-text.ts). */
  constructor(status: number, reason: string, message: string, path: string, retryAfterSeconds: number | null = null) {
    super(serverText(message));
    this.name = 'KubeHttpError';
    this.status = status;
    this.reason = serverText(reason, 60);
    this.path = path;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** How GETs are retried. `sleep`/`random` are injectable for tests. */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  /** Longest wait between attempts, also the cap on a server's Retry-After. */
  readonly maxDelayMs: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 400,
  maxDelayMs: 5000,
  sleep,
  random: Math.random,
};

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);

/** 429, transient 5xx, or a connection that broke (never a timeout: that wait was already paid). */
export function isRetryable(err: unknown): err is KubeHttpError {
  if (!(err instanceof KubeHttpError)) return false;
  if (err.status === 0) return err.reason === 'Unreachable' || err.reason === 'StreamBroken';
  return TRANSIENT_STATUS.has(err.status);
}

/** Retry-After in seconds (delta-seconds form only, as client-go's retryAfterSeconds). */
function retryAfterOf(res: http.IncomingMessage): number | null {
  const raw = res.headers['retry-after'];
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** The wait before retry `attempt` (1-based): Retry-After when sent, else jittered exponential. */
export function retryDelay(err: KubeHttpError, attempt: number, policy: RetryPolicy): number {
  if (err.retryAfterSeconds !== null) return Math.min(policy.maxDelayMs, err.retryAfterSeconds * 1000);
  const d = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(d / 2 + (policy.random() * d) / 2);
}

/** What a credential failure says, without echoing what the exec plugin printed (it may hold a token). */
function credentialError(err: unknown, exec: ExecBound, timeoutMs: number): string {
  if (exec.tooMuchOutput)
    return `the exec credential plugin printed more than ${sizeText(MAX_PLUGIN_OUTPUT_CHARS)} (no ExecCredential is that large) and was stopped`;
  if (exec.timedOut) return `the exec credential plugin did not finish within ${timeoutMs} ms (--request-timeout)`;
  if (err instanceof SyntaxError) return 'the exec credential plugin printed something that is not an ExecCredential';
  const text = serverText((err as Error).message ?? String(err));
  return text === '' ? 'the exec credential plugin failed or timed out' : text;
}

export interface KubeRequest {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Overrides the client's request timeout (0 = none). Streams apply it until headers arrive. */
  readonly timeoutMs?: number;
  readonly accept?: string;
  /** Streams: longer lines are cut to this many characters (the rest is dropped). Default 1 MiB. */
  readonly maxLineChars?: number;
  /** Streams: a line over maxLineChars ends the stream with TooLarge instead of being cut (watch events: a cut one is no JSON). */
  readonly failOnLongLine?: boolean;
  /** Called when a stream's response headers arrived with a 2xx status. */
  readonly onOpen?: () => void;
  /** getJson: a longer body is refused (TooLarge) without reading the rest. Default DEFAULT_MAX_BODY_BYTES. */
  readonly maxBodyBytes?: number;
}

export interface KubeHttp {
  readonly server: string;
  getJson<T = Record<string, unknown>>(path: string, req?: KubeRequest): Promise<T>;
  /** Opens a streaming GET and yields text lines until the server ends it or `signal` aborts. */
  streamLines(path: string, req?: KubeRequest): AsyncGenerator<string, void, undefined>;
}

export const DEFAULT_MAX_LINE_CHARS = 1024 * 1024;

/**
 * The largest JSON answer read into memory (a list page, discovery, one object). client-go reads
 * a body whole, with no cap (kubernetes/client-go:rest/request.go `transformResponse`, io.ReadAll);
 * a server or proxy that streams without end would exhaust memory before --request-timeout ends
 * it (a local one sends gigabytes in 10 s). 256 MiB is far above a 500-item page and below V8's
 * longest string (~512 MiB), past which the body could not be decoded anyway.
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;

/** Of an error body only its Status message is used: read this much of it, at most. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * TCP keepalive on every connection to the API server, after this long idle: a watch or a log
 * follow may stay quiet for hours, and without probes a peer that went away (a VPN that dropped, a
 * load balancer that forgot the flow) is never noticed, so the stream looks quiet for ever instead
 * of failing and being resumed. kubectl's connections get the same from Go's http.DefaultTransport
 * dialer (`KeepAlive: 30 * time.Second`), which k8s.io/apimachinery/pkg/util/net SetTransportDefaults
 * installs; Node's own default is the system's (two hours on Linux).
 */
export const KEEPALIVE_MS = 30_000;

const MIB = 1024 * 1024;

function sizeText(bytes: number): string {
  return bytes >= MIB ? `${Math.round((bytes / MIB) * 10) / 10} MiB` : `${bytes} bytes`;
}

/**
 * A few words for why a request got no HTTP answer (status 0), free of ':' so a gap's reason can
 * be cut at its first ':' (partial-view.ts): what a partial-view condition shows in parentheses.
 */
export function failureHead(err: KubeHttpError): string {
  switch (err.reason) {
    case 'Timeout':
      return 'timed out, see --request-timeout';
    case 'TooLarge':
      return 'answer too large';
    case 'Unreachable':
      return 'unreachable';
    case 'StreamBroken':
      return 'connection lost';
    case 'BadConfig':
      return 'kubeconfig credentials unusable';
    case 'Aborted':
      return 'cancelled';
    case 'BadResponse':
      return 'answer not understood';
    default:
      return 'no answer';
  }
}

function statusOf(body: string): { reason: string; message: string } {
  try {
    const status = JSON.parse(body) as { reason?: unknown; message?: unknown };
    return { reason: String(status.reason ?? ''), message: String(status.message ?? '') };
  } catch {
    return { reason: '', message: body.slice(0, 200) };
  }
}

function statusError(res: http.IncomingMessage, body: string, path: string): KubeHttpError {
  const code = res.statusCode ?? 0;
  const { reason, message } = statusOf(body);
  return new KubeHttpError(code, reason, message || `HTTP ${code}`, path, retryAfterOf(res));
}

function abortError(path: string): KubeHttpError {
  return new KubeHttpError(0, 'Aborted', `request to ${path} was cancelled`, path);
}

/** Caps a client applies to every request that does not set its own (tests make them small). */
export interface HttpLimits {
  readonly maxBodyBytes: number;
}

/** Creates a client bound to the current context of `kc`. */
export function createKubeHttp(
  kc: KubeConfig,
  requestTimeoutMs: number,
  retry: Partial<RetryPolicy> = {},
  limits: Partial<HttpLimits> = {},
): KubeHttp {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...retry };
  const maxBodyBytes = limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const exec = boundExecCredentials(kc, requestTimeoutMs);
  const server = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');

  async function open(path: string, req: KubeRequest, streaming = false): Promise<http.IncomingMessage> {
    const url = new URL(server + path);
    const options: https.RequestOptions = { method: req.method ?? 'GET', headers: {} };
    try {
      await kc.applyToHTTPSOptions(options);
    } catch (err) {
      // client-node refuses plain http without insecure-skip-tls-verify; kubectl talks to it anyway.
      const plainHttp = url.protocol === 'http:' && /HTTP protocol is not allowed/.test(String(err));
      if (!plainHttp)
        throw new KubeHttpError(
          0,
          'BadConfig',
          `cannot use the kubeconfig credentials: ${credentialError(err, exec, requestTimeoutMs)}`,
          path,
        );
    }
    const headers = (options.headers ?? {}) as Record<string, string>;
    headers['Accept'] = req.accept ?? 'application/json';
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const timeoutMs = req.timeoutMs ?? requestTimeoutMs;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      if (req.signal?.aborted) return reject(abortError(path));
      const request = transport.request(url, { ...options, headers });
      request.on('socket', (socket) => socket.setKeepAlive(true, KEEPALIVE_MS));
      const onAbort = (): void => {
        request.destroy(abortError(path));
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('close', () => req.signal?.removeEventListener('abort', onAbort));
      let connectTimer: NodeJS.Timeout | undefined;
      let response: http.IncomingMessage | undefined;
      if (timeoutMs > 0) {
        connectTimer = setTimeout(() => {
          // a body that never ends (or drips) times out as a timeout, not as "connection lost" (which
          // is retried): the timer bounds headers and body together, as kubectl's --request-timeout
          // bounds the whole request (client-go rest.Config.Timeout is http.Client.Timeout)
          const what = response ? `did not finish sending ${path}` : `did not answer ${path}`;
          const err = new KubeHttpError(
            0,
            'Timeout',
            `${server} ${what} within ${timeoutMs} ms (raise --request-timeout if the cluster is just slow)`,
            path,
          );
          response?.destroy(err);
          request.destroy(err);
        }, timeoutMs);
      }
      request.on('response', (res) => {
        response = res;
        if (streaming) clearTimeout(connectTimer); // a stream may stay open: only the wait for headers is bounded
        res.on('end', () => clearTimeout(connectTimer));
        res.on('close', () => clearTimeout(connectTimer));
        resolve(res);
      });
      request.on('error', (err) => {
        clearTimeout(connectTimer);
        reject(
          err instanceof KubeHttpError
            ? err
            : new KubeHttpError(0, 'Unreachable', `cannot reach ${server}: ${err.message}`, path),
        );
      });
      request.end(body);
    });
  }

  /**
   * The body as text, at most `cap` bytes: a longer one is cut there (`truncate`, for error
   * bodies) or refused as TooLarge, without reading the rest. A declared Content-Length over the
   * cap is refused before any byte is read.
   */
  async function readAll(res: http.IncomingMessage, path: string, cap: number, truncate = false): Promise<string> {
    const tooLarge = (): KubeHttpError =>
      new KubeHttpError(
        0,
        'TooLarge',
        `${server} sent more than ${sizeText(cap)} for ${path}; meshdbg stopped reading (a list page is far smaller: is this an API server?)`,
        path,
      );
    const declared = Number(res.headers['content-length'] ?? NaN);
    if (!truncate && declared > cap) {
      res.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res) {
        const buf = chunk as Buffer;
        if (size + buf.length > cap) {
          res.destroy();
          if (!truncate) throw tooLarge();
          chunks.push(buf.subarray(0, cap - size));
          size = cap;
          break;
        }
        chunks.push(buf);
        size += buf.length;
      }
    } catch (err) {
      throw err instanceof KubeHttpError
        ? err
        : new KubeHttpError(0, 'StreamBroken', `connection lost reading ${path}`, path);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  async function getJsonOnce<T>(path: string, req: KubeRequest): Promise<T> {
    const res = await open(path, req);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) throw statusError(res, await readAll(res, path, MAX_ERROR_BODY_BYTES, true), path);
    const text = await readAll(res, path, req.maxBodyBytes ?? maxBodyBytes);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubeHttpError(code, 'BadResponse', `${path} did not return JSON`, path);
    }
  }

  async function getJson<T>(path: string, req: KubeRequest = {}): Promise<T> {
    const retries = (req.method ?? 'GET') === 'GET' ? policy.maxRetries : 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await getJsonOnce<T>(path, req);
      } catch (err) {
        if (attempt > retries || !isRetryable(err) || req.signal?.aborted) throw err;
        await policy.sleep(retryDelay(err, attempt, policy), req.signal);
        if (req.signal?.aborted) throw abortError(path);
      }
    }
  }

  async function* streamLines(path: string, req: KubeRequest = {}): AsyncGenerator<string, void, undefined> {
    const res = await open(path, { ...req, accept: req.accept ?? '*/*' }, true);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) throw statusError(res, await readAll(res, path, MAX_ERROR_BODY_BYTES, true), path);
    req.onOpen?.();
    const cap = req.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
    const tooLong = (): KubeHttpError =>
      new KubeHttpError(
        0,
        'TooLarge',
        `${server} sent a line longer than ${sizeText(cap)} on ${path}; meshdbg stopped reading it`,
        path,
      );
    // a UTF-8 sequence split across two chunks is joined, not turned into two U+FFFD
    const decoder = new StringDecoder('utf8');
    let pending = ''; // the line so far, never longer than cap
    let dropping = false; // inside an over-long line whose head was already yielded
    try {
      for await (const chunk of res) {
        const text = decoder.write(chunk as Buffer);
        // only the new text is searched: a long line costs linear time, not quadratic
        let start = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
          if (!dropping) {
            if (pending.length + nl - start > cap && req.failOnLongLine) throw tooLong();
            yield (pending + text.slice(start, nl)).slice(0, cap);
          }
          dropping = false;
          pending = '';
          start = nl + 1;
        }
        if (dropping) continue;
        if (pending.length + text.length - start > cap) {
          if (req.failOnLongLine) throw tooLong();
          yield (pending + text.slice(start)).slice(0, cap);
          dropping = true;
          pending = '';
        } else pending += text.slice(start);
      }
    } catch (err) {
      if (req.signal?.aborted) return;
      throw err instanceof KubeHttpError
        ? err
        : new KubeHttpError(0, 'StreamBroken', `stream ${path} broke: ${(err as Error).message}`, path);
    } finally {
      res.destroy();
    }
    if (req.signal?.aborted) return;
    pending += decoder.end();
    if (pending !== '' && !dropping) yield pending.slice(0, cap);
  }

  return { server, getJson, streamLines };
}
