/**
 * Live log lines -> the same LogEvents the offline path produces: each followed pod's
 * lines go through its own instance of the one log parser, with the pod as origin.
 * The raw line travels along for the logs view.
 */
import { createLogParser } from '../../parsers/log-parser.js';
import type { LogParser, LogParserOptions } from '../../parsers/log-parser.js';
import type { LogEvent } from '../../parsers/log-event.js';
import { followPods } from './follow-pods.js';
import type { FollowItem, FollowPodsOptions } from './follow-pods.js';
import type { PodLogLine } from './pod-logs.js';

export type ProxyEventItem =
  | { readonly kind: 'line'; readonly line: PodLogLine; readonly events: readonly LogEvent[] }
  | Exclude<FollowItem, { kind: 'line' }>;

export interface FollowProxyEventsOptions extends FollowPodsOptions {
  readonly parser?: LogParserOptions;
}

/** Follows the targets and parses every line as it arrives. */
export async function* followProxyEvents(
  opts: FollowProxyEventsOptions,
): AsyncGenerator<ProxyEventItem, void, undefined> {
  const parsers = new Map<string, LogParser>();
  const parserFor = (line: PodLogLine): LogParser => {
    const key = `${line.pod.namespace}/${line.pod.name}/${line.container}`;
    let parser = parsers.get(key);
    if (!parser) parsers.set(key, (parser = createLogParser(opts.parser)));
    return parser;
  };
  for await (const item of followPods(opts)) {
    if (item.kind !== 'line') {
      yield item;
      continue;
    }
    const { line } = item;
    const origin = { namespace: line.pod.namespace, pod: line.pod.name, container: line.container, label: null };
    yield { kind: 'line', line, events: parserFor(line).push(line.text, undefined, origin) };
  }
}
