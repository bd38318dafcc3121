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

async function openTunnel(
  kc: KubeConfig,
  pod: PodRef,
  port: number,
): Promise<{ duplex: Duplex; ws: Socketish; errors: () => string }> {
  const fromPod = new PassThrough();
  const toPod = new PassThrough();
  const errStream = new PassThrough();
  let errText = '';
  errStream.on('data', (chunk: Buffer) => (errText += chunk.toString('utf8')));
  const ws = (await new PortForward(kc, true).portForward(
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
    tunnel = await openTunnel(kc, pod, port);
  } catch (err) {
    throw forwardError(pod, port, (err as Error).message.split('\n')[0] ?? 'unknown error', err);
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
