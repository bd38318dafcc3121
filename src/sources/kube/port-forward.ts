/**
 * One HTTP request to a pod port through the API server's port-forward WebSocket
 * (client-node PortForward; one WebSocket per request, as kubectl opens one stream per
 * connection). Used for Envoy admin on 15000.
 */
import http from 'node:http';
import { Duplex, PassThrough } from 'node:stream';
import { PortForward } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { MeshdbgError } from '../../util/errors.js';
import type { PodRef } from '../envoy-admin/proxy-control.js';

export interface ForwardedRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly timeoutMs: number;
  /** Bodies above this size are refused instead of filling memory. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
}

export interface ForwardedResponse {
  readonly status: number;
  readonly body: string;
}

function forwardError(pod: PodRef, port: number, message: string, cause?: unknown): MeshdbgError {
  return new MeshdbgError(
    'port-forward-failed',
    `port-forward to ${pod.name}.${pod.namespace}:${port} failed: ${message}`,
    {
      exitCode: 3,
      hint: 'check that the pod runs istio-proxy and that you may create pods/portforward (kubectl auth can-i create pods/portforward)',
      cause,
    },
  );
}

type Socketish = { close(): void; on(event: 'close', cb: () => void): void };

/** What is kept of the port-forward's error channel (its first line is all a message uses). */
const MAX_ERROR_CHARS = 64 * 1024;

/**
 * `kc` whose HTTPS options also bound the WebSocket opening handshake (the `ws` option
 * handshakeTimeout, https://github.com/websockets/ws/blob/master/doc/ws.md#new-websocketaddress-protocols-options):
 * client-node's WebSocketHandler passes those options to the socket it opens and sets no timeout,
 * so a server (or a proxy that swallows upgrades) that accepts the connection and never answers
 * the upgrade held the port-forward, and `authz-check`, for ever. kubectl bounds the upgrade,
 * like every request, by --request-timeout. `signal` reaches the upgrade request the same way
 * (`ws` hands its options to http.request, which takes a `signal`): a cancel closes the connection
 * rather than leaving it open until the timeout.
 */
function withHandshakeBounds(kc: KubeConfig, timeoutMs: number, signal: AbortSignal | undefined): KubeConfig {
  const bounded = Object.create(kc) as KubeConfig;
  bounded.applyToHTTPSOptions = async (opts) => {
    await kc.applyToHTTPSOptions(opts);
    if (timeoutMs > 0) Object.assign(opts, { handshakeTimeout: timeoutMs });
    if (signal) Object.assign(opts, { signal });
  };
  return bounded;
}

async function openTunnel(
  kc: KubeConfig,
  pod: PodRef,
  port: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ duplex: Duplex; ws: Socketish; errors: () => string }> {
  const fromPod = new PassThrough();
  const toPod = new PassThrough();
  const errStream = new PassThrough();
  let errText = '';
  errStream.on('data', (chunk: Buffer) => {
    if (errText.length < MAX_ERROR_CHARS) errText += chunk.toString('utf8').slice(0, MAX_ERROR_CHARS - errText.length);
  });
  const ws = (await new PortForward(withHandshakeBounds(kc, timeoutMs, signal), true).portForward(
    pod.namespace,
    pod.name,
    [port],
    fromPod,
    errStream,
    toPod,
  )) as unknown as Socketish;
  ws.on('close', () => fromPod.end());
  return { duplex: Duplex.from({ readable: fromPod, writable: toPod }), ws, errors: () => errText.trim() };
}

/**
 * `opening`, or a rejection (`cancelled`) as soon as `signal` aborts: the WebSocket handshake has no
 * signal of its own, and a user who quits should not wait out --request-timeout. A tunnel that
 * opens after that is closed at once.
 */
function unlessCancelled<T extends { readonly ws: Socketish }>(
  opening: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (!signal) return opening;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(new Error('cancelled'));
      opening.then(
        (late) => late.ws.close(),
        () => undefined,
      );
    };
    signal.addEventListener('abort', onAbort, { once: true });
    opening.then(
      (tunnel) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) tunnel.ws.close();
        else resolve(tunnel);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}

/** Sends one request to `pod:port` and returns its status and body. */
export async function requestViaPortForward(
  kc: KubeConfig,
  pod: PodRef,
  port: number,
  req: ForwardedRequest,
): Promise<ForwardedResponse> {
  if (req.signal?.aborted) throw forwardError(pod, port, 'cancelled');
  let tunnel: Awaited<ReturnType<typeof openTunnel>>;
  try {
    tunnel = await unlessCancelled(openTunnel(kc, pod, port, req.timeoutMs, req.signal), req.signal);
  } catch (err) {
    const first = (err as Error).message.split('\n')[0] ?? 'unknown error';
    const why = /handshake has timed out/i.test(first)
      ? `the API server did not open it within ${req.timeoutMs} ms (raise --request-timeout if the cluster is just slow)`
      : first;
    throw forwardError(pod, port, why, err);
  }
  const { duplex, ws, errors } = tunnel;
  return new Promise<ForwardedResponse>((resolve, reject) => {
    const fail = (message: string, cause?: unknown): void => {
      request.destroy();
      ws.close();
      reject(forwardError(pod, port, message, cause));
    };
    const timer = setTimeout(() => fail(`no answer within ${req.timeoutMs} ms`), req.timeoutMs);
    const onAbort = (): void => fail('cancelled');
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      ws.close();
    };
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: req.method,
      path: req.path,
      headers: { Connection: 'close' },
      createConnection: () => duplex as unknown as import('node:net').Socket,
    });
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > req.maxBytes) fail(`response larger than ${req.maxBytes} bytes`);
        else chunks.push(chunk);
      });
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.on('error', (err) => {
      done();
      reject(forwardError(pod, port, errors() || err.message, err));
    });
    request.end();
  });
}
