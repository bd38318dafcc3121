/**
 * A fake Envoy admin (127.0.0.1, random port): `GET /config_dump?resource=dynamic_listeners`
 * serves the upstream fixture in the per-resource form, `POST /logging[?name=level]` lists
 * and sets logger levels and answers 400 with Envoy's usage text on a bad level.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const LEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'];

function dynamicListenersBody(): string {
  const full = JSON.parse(
    readFileSync(new URL('../../../fixtures/istioctl/configdump.json', import.meta.url), 'utf8'),
  ) as {
    configs: { dynamic_listeners?: Record<string, unknown>[] }[];
  };
  const configs = full.configs
    .flatMap((c) => c.dynamic_listeners ?? [])
    .map((l) => ({
      '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump.DynamicListener',
      ...l,
    }));
  return JSON.stringify({ configs }, null, 1);
}

export class FakeEnvoyAdmin {
  readonly requests: string[] = [];
  levels: Record<string, string> = {
    admin: 'warning',
    http: 'warning',
    jwt: 'warning',
    rbac: 'warning',
    router: 'warning',
  };
  /** Loggers whose change is refused with a 500 (e.g. the second of two). */
  readonly refuse = new Set<string>();
  /** Level changes are applied at once but answered this much later (a late answer). */
  answerDelayMs = 0;
  private server: http.Server | null = null;
  port = 0;

  static async start(): Promise<FakeEnvoyAdmin> {
    const admin = new FakeEnvoyAdmin();
    const body = dynamicListenersBody();
    admin.server = http.createServer((req, res) => admin.handle(req, res, body));
    await new Promise<void>((r) => admin.server?.listen(0, '127.0.0.1', r));
    admin.port = (admin.server.address() as AddressInfo).port;
    return admin;
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, dump: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (
      req.method === 'GET' &&
      url.pathname === '/config_dump' &&
      url.searchParams.get('resource') === 'dynamic_listeners'
    ) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(dump);
    }
    if (req.method === 'POST' && url.pathname === '/logging') return this.logging(url, res);
    res.writeHead(404);
    res.end('invalid path\n');
  }

  private logging(url: URL, res: http.ServerResponse): void {
    for (const [name, level] of url.searchParams) {
      if (!LEVELS.includes(level) || (name !== 'level' && !(name in this.levels))) {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        return void res.end(
          `error: unknown logger name\n\nusage: /logging?<name>=<level> (change single level)\nlevels: ${LEVELS.join(' ')}\n`,
        );
      }
      if (this.refuse.has(name)) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        return void res.end('injected failure\n');
      }
      if (name === 'level') for (const k of Object.keys(this.levels)) this.levels[k] = level;
      else this.levels[name] = level;
    }
    const answer = (): void => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(this.activeLoggers());
    };
    if (url.searchParams.size > 0 && this.answerDelayMs > 0) setTimeout(answer, this.answerDelayMs);
    else answer();
  }

  private activeLoggers(): string {
    return `active loggers:\n${Object.entries(this.levels)
      .map(([k, v]) => `  ${k}: ${v}\n`)
      .join('')}\n`;
  }
}
