/**
 * The explain form checks the field being typed, as it is typed: the destination through the
 * engine's own peer resolution (IPs, `KIND/NAME.NS`, did-you-mean: what the CLI accepts), the port
 * against the destination's Service or container ports, the method and path by their HTTP form.
 * An `error` keeps Enter from moving on; a `warning` only informs (explain will say the rest).
 */
import { assertNever } from '../../util/assert-never.js';
import type { ExplainError } from '../../engine/index.js';
import type { ResolvedPeer } from '../../engine/index.js';
import { stripControl } from '../sanitize.js';
import { methodProblemText, pathProblemText } from '../../parsers/http-request-checks.js';
import type { UiData } from './app-state.js';
import type { ExplainForm, ExplainStep } from './navigation.js';

export interface FieldProblem {
  readonly level: 'error' | 'warning' | 'info';
  readonly text: string;
}

/**
 * RFC 9110 section 9 methods plus PATCH (RFC 5789); Istio matches any method string
 * (https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation), so others only warn.
 */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

function isError(r: ResolvedPeer | ExplainError): r is ExplainError {
  return 'kind' in r && r.kind === 'Error';
}

/** The typed destination when no picker row matches it: what explain will make of it. */
export function typedPeerProblem(data: UiData, query: string): FieldProblem | null {
  const text = query.trim();
  if (text === '') return null;
  const resolved = data.engine.resolveDestination(data.snapshot, text);
  if (isError(resolved)) return { level: 'error', text: stripControl(resolved.message) };
  if (resolved.type === 'ip')
    return { level: 'info', text: `${text}: an address outside the cluster; <enter> takes it` };
  const name =
    resolved.type === 'service'
      ? `Service ${resolved.service.namespace}/${resolved.service.name}`
      : `${resolved.group.kind} ${resolved.group.namespace}/${resolved.group.name}`;
  return { level: 'info', text: `${stripControl(name)}; <enter> takes "${stripControl(text)}"` };
}

function declaredPorts(resolved: ResolvedPeer): { label: string; ports: string[] } | null {
  if (resolved.type === 'service')
    return {
      label: `Service ${resolved.service.name}`,
      ports: resolved.service.ports.map((p) => `${p.port}${p.name ? `/${p.name}` : ''}`),
    };
  if (resolved.type === 'group') {
    const pods = resolved.pod ? [resolved.pod] : resolved.group.pods;
    const ports = pods.flatMap((p) => p.containers.flatMap((c) => c.ports));
    return {
      label: `${resolved.group.kind} ${resolved.group.name}`,
      ports: [...new Set(ports.map((p) => `${p.containerPort}${p.name ? `/${p.name}` : ''}`))],
    };
  }
  return null;
}

export function portProblem(data: UiData, form: ExplainForm): FieldProblem | null {
  const text = form.port.trim();
  if (text === '') return null;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535)
    return { level: 'error', text: `port "${stripControl(text)}" is not a number from 1 to 65535` };
  if (form.peer === null) return null;
  const resolved = data.engine.resolveDestination(data.snapshot, form.peer);
  if (isError(resolved)) return null;
  const declared = declaredPorts(resolved);
  if (declared === null || declared.ports.some((p) => p.split('/')[0] === text)) return null;
  const list = declared.ports.length > 0 ? declared.ports.join(', ') : 'none';
  return {
    level: 'warning',
    text: stripControl(`${text} is not a port ${declared.label} declares (${list}); explain will say what happens`),
  };
}

export function methodProblem(method: string): FieldProblem | null {
  const m = method.trim().toUpperCase();
  if (m === '' || KNOWN_METHODS.has(m)) return null;
  const problem = methodProblemText(m);
  if (problem !== null) return { level: 'error', text: stripControl(`"${method}" ${problem}`) };
  return { level: 'warning', text: `${m} is not a standard HTTP method (Istio matches it as written)` };
}

/** The path as explain will take it (explain refuses the same paths: parsers/http-request-checks.ts). */
export function pathProblem(path: string): FieldProblem | null {
  const p = path.trim();
  if (p === '') return null;
  const problem = pathProblemText(p);
  return problem === null ? null : { level: 'error', text: stripControl(`path "${p}" ${problem}`) };
}

/** The problem of the field being typed, or null. `peerRows` is how many picker rows match. */
export function fieldProblem(
  data: UiData,
  step: ExplainStep,
  form: ExplainForm,
  peerRows: number,
): FieldProblem | null {
  switch (step) {
    case 'peer':
      return peerRows > 0 ? null : typedPeerProblem(data, form.peerQuery);
    case 'port':
      return portProblem(data, form);
    case 'method':
      return methodProblem(form.method);
    case 'path':
      return pathProblem(form.path);
    case 'jwt':
    case 'result':
      return null;
    default:
      return assertNever(step, 'explain step');
  }
}
