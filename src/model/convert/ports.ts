/** Protocols and ports of policy rules, validated as the API server does. */
import type { Protocol } from '../k8s.js';
import type { ConvertContext } from './context.js';
import { quotedValue } from '../../util/cut-text.js';

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export function convertProtocol(raw: unknown, field: string, ctx: ConvertContext, node?: unknown): Protocol {
  if (raw === undefined || raw === null) return 'TCP';
  if (typeof raw === 'string' && PROTOCOLS.includes(raw as Protocol)) return raw as Protocol;
  ctx.report('invalid-protocol', field, `${quotedValue(raw)} is not a supported protocol (TCP, UDP or SCTP)`, node);
  return 'TCP';
}

/** An IANA service name as a named port must be (1-15 chars, lowercase, a letter, no "--"). */
export function portNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > 15) return `port name "${name}" must be 1-15 characters`;
  if (!/^[a-z0-9-]+$/.test(name)) return `port name "${name}" may contain only lowercase letters, digits and '-'`;
  if (!/[a-z]/.test(name)) return `port name "${name}" must contain at least one letter`;
  if (name.startsWith('-') || name.endsWith('-') || name.includes('--'))
    return `port name "${name}" may not start or end with '-' or contain '--'`;
  return null;
}

/** A numeric (1-65535) or named port; null when absent; reports and returns undefined when invalid. */
export function convertPortValue(
  raw: unknown,
  field: string,
  ctx: ConvertContext,
  node?: unknown,
): number | string | null | undefined {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 1 && raw <= 65535) return raw;
    ctx.report('invalid-port', field, `${raw} is not a port number between 1 and 65535`, node);
    return undefined;
  }
  if (typeof raw === 'string') {
    if (/^\d+$/.test(raw)) {
      ctx.report('invalid-port', field, `"${raw}" is a string; write the port number without quotes`, node);
      return undefined;
    }
    const problem = portNameProblem(raw);
    if (problem) {
      ctx.report('invalid-port', field, problem, node);
      return undefined;
    }
    return raw;
  }
  ctx.report('invalid-port', field, 'must be a port number or name', node);
  return undefined;
}
