/**
 * `meshdbg demo --print-logs`: the simulated proxy/Calico stream of a bundled example, written
 * line by line (the same text `meshdbg denials --logs -` reads back).
 */
import { join } from 'node:path';
import { loadDemo } from './load-demo.js';

export interface PrintLogsOptions {
  readonly seed?: number;
  readonly requests?: number;
  /** pods whose `rbac` logger is raised to debug, on top of those annotated (e.g. after `L` in the TUI) */
  readonly rbacDebugPods?: readonly string[];
}

/** Writes the stream of `examplesDir/name`; returns the number of lines written. */
export async function printDemoLogs(
  examplesDir: string,
  name: string,
  write: (chunk: string) => void,
  options: PrintLogsOptions = {},
): Promise<number> {
  const demo = await loadDemo(join(examplesDir, name), name, options.seed ?? 1);
  const raised = new Set([...demo.rbacDebugAtStart, ...(options.rbacDebugPods ?? [])]);
  const sim = demo.simulate({ requests: options.requests ?? 200, rbacDebug: (p) => raised.has(p.name) });
  for (const line of sim.lines) write(`${line}\n`);
  return sim.lines.length;
}
