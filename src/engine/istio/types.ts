/** Types shared by the Istio layers and the explain orchestrator. */
import type { Protocol } from '../../model/k8s.js';
import type { PolicyMention } from '../explanation.js';
import type { Endpoint } from '../flow.js';

/** Provided by the lead's NetworkPolicy engine: can `from` open a connection to `to`? */
export type ReachabilityCheck = (
  from: Endpoint,
  to: Endpoint,
  protocol: Protocol,
  port: number,
) => { allowed: boolean; policies: readonly PolicyMention[]; summary: string };
