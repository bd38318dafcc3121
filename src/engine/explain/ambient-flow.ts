/** The ambient data plane: flows with an ambient endpoint, through the layer lists of engine/ambient. */
import type { FlowContext } from '../flow.js';
import type { DataPlane } from './flow-eval.js';
import type { Endpoint } from '../flow.js';
import { canConnect } from '../network-policy/evaluate.js';
import { evaluateAmbient, isAmbientFlow } from '../ambient/evaluate.js';
import { flowResult } from './decide.js';

export const ambientDataPlane: DataPlane = {
  name: 'ambient',
  carries: isAmbientFlow,
  evaluate: (snapshot, flow) => {
    const reach = (from: Endpoint, to: Endpoint, proto: FlowContext['protocol'], port: number) =>
      canConnect(snapshot, from, to, proto, port, flow.cni);
    return flowResult(snapshot, flow, evaluateAmbient(snapshot, flow, reach));
  },
};
