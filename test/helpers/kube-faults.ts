/**
 * Fault injection for the local Kubernetes REST server (kube-api-server.ts): a request that
 * matches a fault is answered by it instead of the server, a given number of times. The
 * faults are the ones issue 17 lists: 429 (with Retry-After), 500 on one list, 410 on a
 * continued page, watches that end at once or after a bookmark, watch 410, a slow body,
 * and Status messages carrying CR, ESC and tokens.
 */
import type http from 'node:http';

export interface FaultRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly watching: boolean;
}

export interface Fault {
  readonly match: (req: FaultRequest) => boolean;
  /** How many more times it fires (Infinity: always). */
  times: number;
  readonly respond: (res: http.ServerResponse, req: FaultRequest) => void;
}

export class FaultPlan {
  private readonly faults: Fault[] = [];
  /** How many requests each fault answered, in the order they were added. */
  readonly fired: number[] = [];

  add(fault: Fault): this {
    this.faults.push(fault);
    this.fired.push(0);
    return this;
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** true when a fault answered the request. */
  intercept(req: FaultRequest, res: http.ServerResponse): boolean {
    const i = this.faults.findIndex((f) => f.times > 0 && f.match(req));
    const fault = this.faults[i];
    if (!fault) return false;
    fault.times -= 1;
    this.fired[i] = (this.fired[i] ?? 0) + 1;
    fault.respond(res, req);
    return true;
  }
}

export function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });
}

interface Match {
  /** Regex on the path; list and discovery requests only unless `watch` is true. */
  readonly path: RegExp;
  readonly watch?: boolean;
  readonly times?: number;
}

function matcher(m: Match): (req: FaultRequest) => boolean {
  return (req) => m.path.test(req.path) && req.watching === (m.watch ?? false);
}

/** Answers with an API Status (e.g. 429 with Retry-After, 500, 503). */
export function statusFault(
  m: Match,
  code: number,
  opts: { reason?: string; message?: string; retryAfter?: string } = {},
): Fault {
  return {
    match: matcher(m),
    times: m.times ?? Infinity,
    respond: (res) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (opts.retryAfter !== undefined) headers['Retry-After'] = opts.retryAfter;
      res.writeHead(code, headers);
      res.end(statusBody(code, opts.reason ?? 'InternalError', opts.message ?? `injected ${code}`));
    },
  };
}

/** 410 Expired on a list page that carries a continue token (etcd compacted it). */
export function goneOnContinue(path: RegExp, times = 1): Fault {
  return {
    match: (req) => path.test(req.path) && !req.watching && req.query.has('continue'),
    times,
    respond: (res) => {
      res.writeHead(410, { 'Content-Type': 'application/json' });
      res.end(statusBody(410, 'Expired', 'The provided continue parameter is too old'));
    },
  };
}

/** A watch answered 200 that ends at once, optionally after one BOOKMARK (a misbehaving proxy). */
export function watchEndsAtOnce(path: RegExp, opts: { bookmark?: boolean; times?: number } = {}): Fault {
  return {
    match: (req) => path.test(req.path) && req.watching,
    times: opts.times ?? Infinity,
    respond: (res, req) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (opts.bookmark) {
        const rv = req.query.get('resourceVersion') ?? '1';
        res.write(
          `${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Pod', metadata: { resourceVersion: rv } } })}\n`,
        );
      }
      res.end();
    },
  };
}

/** Every watch gets an ERROR event with 410 Expired, then ends. */
export function watchGone(path: RegExp, times = Infinity): Fault {
  return {
    match: (req) => path.test(req.path) && req.watching,
    times,
    respond: (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const object = JSON.parse(statusBody(410, 'Expired', 'too old resource version')) as unknown;
      res.end(`${JSON.stringify({ type: 'ERROR', object })}\n`);
    },
  };
}

/** Headers and the first bytes of a body, then nothing (the connection stays open). */
export function slowBody(m: Match): Fault {
  return {
    match: matcher(m),
    times: m.times ?? Infinity,
    respond: (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"kind":"List","items":[');
    },
  };
}

/**
 * A 200 whose body is valid-looking JSON that never ends, sent as fast as the client reads it
 * (a broken proxy, or a server streaming gigabytes); `declaredBytes` sends that Content-Length.
 */
export function endlessBody(m: Match, opts: { declaredBytes?: number } = {}): Fault {
  return {
    match: matcher(m),
    times: m.times ?? Infinity,
    respond: (res) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (opts.declaredBytes !== undefined) headers['Content-Length'] = String(opts.declaredBytes);
      res.writeHead(200, headers);
      res.write('{"kind":"List","metadata":{},"items":[');
      const chunk = Buffer.from('{"metadata":{"name":"x","namespace":"prod"}},'.repeat(1400));
      let open = true;
      res.on('close', () => (open = false));
      const pump = (): void => {
        while (open && res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    },
  };
}

/** A 200 whose body comes one byte every `everyMs` and never ends (a body that drips). */
export function drippingBody(m: Match, everyMs: number): Fault {
  return {
    match: matcher(m),
    times: m.times ?? Infinity,
    respond: (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write(' '), everyMs);
      res.on('close', () => clearInterval(timer));
      res.write('{');
    },
  };
}
