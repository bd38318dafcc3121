/** The ambient data plane: flows with an ambient endpoint, through the layer lists of engine/ambient. */
import type { DataPlane } from './flow-eval.js';
import { networkReach } from '../network-policy/evaluate.js';
import { evaluateAmbient, isAmbientFlow } from '../ambient/evaluate.js';
import { flowResult } from './decide.js';

export const ambientDataPlane: DataPlane = {
  name: 'ambient',
  carries: isAmbientFlow,
  evaluate: (snapshot, flow) =>
    flowResult(snapshot, flow, evaluateAmbient(snapshot, flow, networkReach(snapshot, flow.cni))),
};
