/** The EnginePort backed by the real engine and the shared report formatter (what the CLI prints). */
import { authzCheckRows, explain, planMap, resolvePeer } from '../../engine/index.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import { explanationLines } from '../../report/text.js';
import type { EnginePort } from './engine-port.js';

export const REAL_ENGINE: EnginePort = {
  explain,
  explanationLines: (explanation, snapshot) => explanationLines(explanation, snapshot),
  authzCheckRows: (snapshot, pod) =>
    authzCheckRows(snapshot, pod).map((r) => ({ action: r.action, policy: r.name, rules: r.rules })),
  hasSidecar: podHasSidecar,
  resolveDestination: (snapshot, text) => resolvePeer(snapshot, text, 'destination', null),
  connectivityMap: (snapshot, namespace) => {
    const touching = namespace === null ? null : new Set([namespace]);
    const plan = planMap(snapshot, { namespaces: null, focus: null, includeDenied: false, touching });
    return { workloads: plan.workloads, edges: [...plan.pairs()], addresses: plan.addresses };
  },
};
