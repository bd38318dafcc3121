/** What the ambient evaluation hands the explain orchestrator (which marks `effective` and decides). */
import type {
  Condition,
  ExpectedResponse,
  ExplanationFinding,
  Fix,
  RequestInfo,
  RuleMiss,
  Step,
} from '../explanation.js';

export interface AmbientEvaluation {
  readonly steps: Step[];
  /** what the client sees when the step at the same index is the first that denies; null: the CNI's answer */
  readonly responses: (ExpectedResponse | null)[];
  readonly clientTls: RequestInfo['clientTls'];
  readonly jwt: Record<string, unknown> | null;
  readonly nearestMiss: RuleMiss[];
  readonly conditions: Condition[];
  readonly findings: ExplanationFinding[];
  readonly fix: Fix[];
  readonly notes: string[];
  readonly assumptions: { code: string; message: string }[];
  /** the client is ambient: its ztunnel accepts the connection locally, so a blocked hop resets it */
  readonly sourceAmbient: boolean;
}
