/**
 * Pod log endpoint of the mock API server: `GET /api/v1/namespaces/NS/pods/POD/log` with
 * container, follow, timestamps, sinceTime (whole seconds, as the API), tailLines, previous.
 */
import type http from 'node:http';

export interface MockLogLine {
  /** RFC3339 with nanoseconds, as the kubelet prints with timestamps=true. */
  readonly time: string;
  readonly text: string;
}

interface Follower {
  readonly key: string;
  readonly res: http.ServerResponse;
  readonly timestamps: boolean;
}

const LOG_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/;

export class MockLogs {
  readonly queries: URLSearchParams[] = [];
  /** While true, follows end right after the lines already written (a stopped container). */
  endFollowsAtOnce = false;
  private readonly current = new Map<string, MockLogLine[]>();
  private readonly previous = new Map<string, MockLogLine[]>();
  private readonly followers = new Set<Follower>();

  private key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  set(
    namespace: string,
    pod: string,
    container: string,
    lines: MockLogLine[],
    opts: { previous?: boolean } = {},
  ): void {
    (opts.previous ? this.previous : this.current).set(this.key(namespace, pod, container), [...lines]);
  }

  append(namespace: string, pod: string, container: string, line: MockLogLine): void {
    const key = this.key(namespace, pod, container);
    this.current.set(key, [...(this.current.get(key) ?? []), line]);
    for (const f of this.followers) if (f.key === key) f.res.write(this.format(line, f.timestamps));
  }

  /** Breaks every open follow (as a network drop or an API server restart would). */
  dropStreams(): void {
    for (const f of this.followers) f.res.socket?.destroy();
    this.followers.clear();
  }

  get openStreams(): number {
    return this.followers.size;
  }

  handles(url: URL): boolean {
    return LOG_PATH.test(url.pathname);
  }

  private format(line: MockLogLine, timestamps: boolean): string {
    return timestamps ? `${line.time} ${line.text}\n` : `${line.text}\n`;
  }

  serve(url: URL, res: http.ServerResponse): void {
    const [, namespace = '', pod = ''] = LOG_PATH.exec(url.pathname) ?? [];
    const q = url.searchParams;
    this.queries.push(q);
    const key = this.key(decodeURIComponent(namespace), decodeURIComponent(pod), q.get('container') ?? '');
    const source = q.get('previous') === 'true' ? this.previous : this.current;
    const lines = source.get(key);
    if (!lines) {
      res.writeHead(q.get('previous') === 'true' ? 400 : 404, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          status: 'Failure',
          reason: 'BadRequest',
          message: `no logs for ${key}`,
          code: 400,
        }),
      );
      return;
    }
    const since = q.get('sinceTime');
    let shown = since ? lines.filter((l) => l.time >= since.replace(/Z$/, '')) : lines;
    const tail = q.get('tailLines');
    if (tail !== null) shown = shown.slice(Math.max(0, shown.length - Number(tail)));
    const timestamps = q.get('timestamps') === 'true';
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    for (const line of shown) res.write(this.format(line, timestamps));
    if (q.get('follow') !== 'true' || q.get('previous') === 'true' || this.endFollowsAtOnce) {
      res.end();
      return;
    }
    const f: Follower = { key, res, timestamps };
    this.followers.add(f);
    res.on('close', () => this.followers.delete(f));
  }
}
