/**
 * The demo's LogFeed: every `intervalMs` the traffic simulator (sources/demo) produces a few
 * requests' worth of proxy lines, which go through the log pipeline like real logs. Raising
 * a workload's rbac logger makes the simulator print RBAC debug lines for its pods.
 */
import type { Snapshot } from '../../model/snapshot.js';
import type { Simulation, SimulationOptions } from '../../sources/demo/simulate.js';
import type { DemoPod } from '../../sources/demo/topology.js';
import type { FeedEvent, LogFeed } from './log-feed.js';
import { createLinePipeline } from './line-pipeline.js';

export interface SimulatorFeedOptions {
  readonly snapshot: Snapshot;
  readonly simulate: (options: SimulationOptions) => Simulation;
  /** pods whose rbac logger is at debug from the start (their annotations) */
  readonly rbacDebugAtStart: ReadonlySet<string>;
  readonly intervalMs: number;
  readonly requestsPerTick: number;
  readonly clock: () => number;
}

export function createSimulatorFeed(options: SimulatorFeedOptions): LogFeed {
  const pipeline = createLinePipeline(options.snapshot, options.clock);
  const raised = new Set<string>();
  const listeners = new Set<(events: readonly FeedEvent[]) => void>();
  let tick = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let first: ReturnType<typeof setTimeout> | null = null;

  const rbacDebug = (pod: DemoPod): boolean =>
    options.rbacDebugAtStart.has(pod.name) || raised.has(`${pod.namespace}/Deployment/${pod.deployment}`);
  const step = (requests: number): void => {
    tick++;
    const sim = options.simulate({ seed: tick, requests, start: new Date(options.clock()).toISOString(), rbacDebug });
    const events = pipeline.push(sim.lines);
    if (events.length > 0) for (const l of listeners) l(events);
  };

  return {
    canSetLogLevel: true,
    subscribe(listener) {
      listeners.add(listener);
      if (timer === null) {
        timer = setInterval(() => step(options.requestsPerTick), options.intervalMs);
        // a first burst right after the first frame, so the demo has denials at once
        first = setTimeout(() => step(options.requestsPerTick * 4), 0);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || timer === null) return;
        clearInterval(timer);
        if (first !== null) clearTimeout(first);
        timer = null;
        first = null;
      };
    },
    setLogLevel(request) {
      const key = `${request.namespace}/${request.workload}`;
      if (request.level === 'debug') raised.add(key);
      else raised.delete(key);
      return Promise.resolve({ changed: request.pods.length, errors: [] });
    },
  };
}
