/**
 * A fake ztunnel admin (127.0.0.1, random port) answering `/logging` as istio/ztunnel src/admin.rs
 * `handle_logging` does: POST only (405 otherwise); no `level`: `current log level is FILTER\n`;
 * `level=...`: each clause a bare level or `target=level` (else 400 "Invalid level provided"),
 * added to the current filter (src/telemetry.rs `set_level`: current + "," + level; a target named
 * again takes the new level); `reset`: back to the default `hickory_server::server=off,info` first.
 * `GET /config_dump` serves `dump` when set.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const LEVELS = ['error', 'warn', 'info', 'debug', 'trace', 'off'];
const DEFAULT_FILTER: readonly [string, string][] = [
  ['hickory_server::server', 'off'],
  ['', 'info'],
];

export class FakeZtunnelAdmin {
  readonly requests: string[] = [];
  /** target -> level; '' is the bare default level */
  filter = new Map<string, string>(DEFAULT_FILTER);
  dump: string | null = null;
  private server: http.Server | null = null;
  port = 0;

  static async start(): Promise<FakeZtunnelAdmin> {
    const admin = new FakeZtunnelAdmin();
    admin.server = http.createServer((req, res) => admin.handle(req, res));
    await new Promise<void>((r) => admin.server?.listen(0, '127.0.0.1', r));
    admin.port = (admin.server.address() as AddressInfo).port;
    return admin;
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The filter as ztunnel prints it: targets first, the bare level last. */
  text(): string {
    const targets = [...this.filter].filter(([t]) => t !== '').map(([t, l]) => `${t}=${l}`);
    const bare = this.filter.get('');
    return [...targets, ...(bare === undefined ? [] : [bare])].join(',');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (url.pathname === '/config_dump' && this.dump !== null) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(this.dump);
    }
    if (url.pathname !== '/logging') {
      res.writeHead(404);
      return void res.end('Invalid path\n');
    }
    if (req.method !== 'POST') {
      res.writeHead(405);
      return void res.end('Invalid HTTP method\n');
    }
    const level = url.searchParams.get('level') ?? '';
    const clauses = level === '' ? [] : level.split(',');
    const bad = clauses.find(
      (c) => !LEVELS.includes(c) && !(c.includes('=') && LEVELS.includes(c.split('=').pop() ?? '')),
    );
    if (bad !== undefined) {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      return void res.end(`Invalid level provided: ${level}\n`);
    }
    if (url.searchParams.has('reset')) this.filter = new Map(DEFAULT_FILTER);
    for (const c of clauses) {
      const eq = c.lastIndexOf('=');
      this.filter.set(eq === -1 ? '' : c.slice(0, eq), eq === -1 ? c : c.slice(eq + 1));
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`current log level is ${this.text()}\n`);
  }
}
