/**
 * One resolved flow (pod or IP to pod or IP, one port) through every layer, in the order
 * traffic meets them. Every layer is evaluated and reported, also after the first denial.
 *
 * A data plane is one way traffic crosses the mesh (sidecars, ambient ztunnel/waypoints): it
 * evaluates its ordered layers into steps and finishes them with decide.ts. The first data plane
 * in DATA_PLANES that carries the flow answers it; adding one is a module and one line here.
 */
import type { Snapshot } from '../../model/snapshot.js';
import type { FlowContext } from '../flow.js';
import type { FlowResult } from './decide.js';
import { ambientDataPlane } from './ambient-flow.js';
import { sidecarDataPlane } from './sidecar-flow.js';

export type { FlowResult } from './decide.js';
export { decide, decidingStep, markEffective, overallVerdict } from './decide.js';

export interface DataPlane {
  readonly name: string;
  /** true when this data plane carries the flow */
  readonly carries: (snapshot: Snapshot, flow: FlowContext) => boolean;
  readonly evaluate: (snapshot: Snapshot, flow: FlowContext) => FlowResult;
}

/** In order: the first that carries a flow answers it; the sidecar data plane carries every flow. */
export const DATA_PLANES: readonly DataPlane[] = [ambientDataPlane, sidecarDataPlane];

/** The data plane that carries the flow: the first in DATA_PLANES that does. */
export function dataPlaneFor(snapshot: Snapshot, flow: FlowContext): DataPlane {
  return DATA_PLANES.find((p) => p.carries(snapshot, flow)) ?? sidecarDataPlane;
}

export function evaluateFlow(snapshot: Snapshot, flow: FlowContext): FlowResult {
  return dataPlaneFor(snapshot, flow).evaluate(snapshot, flow);
}
