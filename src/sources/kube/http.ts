/**
 * Raw HTTP to the API server with the kubeconfig's credentials and TLS settings.
 * Objects stay in API wire JSON (NetworkPolicy `from`, not client-node's `_from`).
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** An API answer that is not 2xx (`status` 0 when the server could not be reached). */
export class KubeHttpError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly path: string;

  constructor(status: number, reason: string, message: string, path: string) {
    super(message);
    this.name = 'KubeHttpError';
    this.status = status;
    this.reason = reason;
    this.path = path;
  }
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
  /** Called when a stream's response headers arrived with a 2xx status. */
  readonly onOpen?: () => void;
}

export interface KubeHttp {
  readonly server: string;
  getJson<T = Record<string, unknown>>(path: string, req?: KubeRequest): Promise<T>;
  /** Opens a streaming GET and yields text lines until the server ends it or `signal` aborts. */
  streamLines(path: string, req?: KubeRequest): AsyncGenerator<string, void, undefined>;
}

export const DEFAULT_MAX_LINE_CHARS = 1024 * 1024;

function statusOf(body: string): { reason: string; message: string } {
  try {
    const status = JSON.parse(body) as { reason?: unknown; message?: unknown };
    return { reason: String(status.reason ?? ''), message: String(status.message ?? '') };
  } catch {
    return { reason: '', message: body.slice(0, 200) };
  }
}

function abortError(path: string): KubeHttpError {
  return new KubeHttpError(0, 'Aborted', `request to ${path} was cancelled`, path);
}

/** Creates a client bound to the current context of `kc`. */
export function createKubeHttp(kc: KubeConfig, requestTimeoutMs: number): KubeHttp {
  const server = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');

  async function open(path: string, req: KubeRequest, streaming = false): Promise<http.IncomingMessage> {
    const url = new URL(server + path);
    const options: https.RequestOptions = { method: req.method ?? 'GET', headers: {} };
    try {
      await kc.applyToHTTPSOptions(options);
    } catch (err) {
      // client-node refuses plain http without insecure-skip-tls-verify; kubectl talks to it anyway.
      if (url.protocol !== 'http:')
        throw new KubeHttpError(
          0,
          'BadConfig',
          `cannot use the kubeconfig credentials: ${(err as Error).message}`,
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
      const onAbort = (): void => {
        request.destroy(abortError(path));
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('close', () => req.signal?.removeEventListener('abort', onAbort));
      let connectTimer: NodeJS.Timeout | undefined;
      if (timeoutMs > 0) {
        connectTimer = setTimeout(() => {
          request.destroy(
            new KubeHttpError(0, 'Timeout', `${server} did not answer ${path} within ${timeoutMs} ms`, path),
          );
        }, timeoutMs);
      }
      request.on('response', (res) => {
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

  async function readAll(res: http.IncomingMessage, path: string): Promise<string> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of res) chunks.push(chunk as Buffer);
    } catch (err) {
      throw err instanceof KubeHttpError
        ? err
        : new KubeHttpError(0, 'Unreachable', `connection lost reading ${path}`, path);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function getJson<T>(path: string, req: KubeRequest = {}): Promise<T> {
    const res = await open(path, req);
    const text = await readAll(res, path);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) {
      const { reason, message } = statusOf(text);
      throw new KubeHttpError(code, reason, message || `HTTP ${code}`, path);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubeHttpError(code, 'BadResponse', `${path} did not return JSON`, path);
    }
  }

  async function* streamLines(path: string, req: KubeRequest = {}): AsyncGenerator<string, void, undefined> {
    const res = await open(path, { ...req, accept: req.accept ?? '*/*' }, true);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) {
      const { reason, message } = statusOf(await readAll(res, path));
      throw new KubeHttpError(code, reason, message || `HTTP ${code}`, path);
    }
    req.onOpen?.();
    const cap = req.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
    let pending = '';
    let dropping = false; // inside an over-long line whose head was already yielded
    try {
      for await (const chunk of res) {
        pending += (chunk as Buffer).toString('utf8');
        let nl = pending.indexOf('\n');
        while (nl >= 0) {
          if (!dropping) yield pending.slice(0, Math.min(nl, cap));
          dropping = false;
          pending = pending.slice(nl + 1);
          nl = pending.indexOf('\n');
        }
        if (pending.length > cap) {
          if (!dropping) yield pending.slice(0, cap);
          dropping = true;
          pending = '';
        }
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
    if (pending !== '' && !dropping) yield pending;
  }

  return { server, getJson, streamLines };
}
