/**
 * Log levels of ztunnel pods through ztunnel's admin port (15000, istio/ztunnel src/config.rs
 * DEFAULT_ADMIN_PORT) by port-forward, in the form parsers/ztunnel-logging.ts describes. The same
 * two calls the log-level manager makes on Envoy, so raising is confirmed, journalled and restored alike.
 */
import { isZtunnelPod } from '../../model/convert/sidecar.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { LoggerLevels } from '../../parsers/envoy-logging.js';
import {
  effectiveLevels,
  parseZtunnelLogging,
  ZTUNNEL_RAISED_TARGETS,
  ztunnelLevelQuery,
} from '../../parsers/ztunnel-logging.js';
import { MeshdbgError } from '../../util/errors.js';
import type { AdminRequester } from './native-proxy-control.js';
import { podLabel } from './proxy-control.js';
import type { LogLevelControl, PodRef } from './proxy-control.js';

export const ZTUNNEL_ADMIN_PORT = 15000;

function ztunnelError(pod: PodRef, path: string, status: number, body: string): MeshdbgError {
  const first = body.trim().split('\n')[0] ?? '';
  return new MeshdbgError(
    'ztunnel-admin-failed',
    `ztunnel admin ${path} on ${podLabel(pod)} answered ${status}${first ? `: ${first}` : ''}`,
    {
      exitCode: 3,
      hint: 'check that the pod is a ztunnel and its admin port 15000 answers (istioctl ztunnel-config log POD)',
    },
  );
}

export function createZtunnelLogControl(
  request: AdminRequester,
  opts: { readonly timeoutMs: number },
): LogLevelControl {
  async function logging(pod: PodRef, query: string, signal?: AbortSignal): Promise<LoggerLevels> {
    const path = query === '' ? '/logging' : `/logging?${query}`;
    const res = await request(pod, { method: 'POST', path, timeoutMs: opts.timeoutMs, maxBytes: 1 << 20, signal });
    if (res.status < 200 || res.status > 299) throw ztunnelError(pod, path, res.status, res.body);
    const parsed = parseZtunnelLogging(res.body);
    if (parsed === null)
      throw new MeshdbgError(
        'ztunnel-admin-output',
        `ztunnel admin ${path} on ${podLabel(pod)} did not say "current log level is ..."`,
        { exitCode: 3 },
      );
    return effectiveLevels(parsed, ZTUNNEL_RAISED_TARGETS);
  }
  return {
    getLogLevels: (pod, signal) => logging(pod, '', signal),
    setLogLevels: (pod, levels, signal) => logging(pod, ztunnelLevelQuery(levels), signal),
  };
}

/** Envoy for sidecars, ztunnel's admin for ztunnel pods: one control for the manager. */
export function routeLogLevels(
  sidecar: LogLevelControl,
  ztunnel: LogLevelControl,
  isZtunnel: (pod: PodRef) => boolean,
): LogLevelControl {
  const pick = (pod: PodRef): LogLevelControl => (isZtunnel(pod) ? ztunnel : sidecar);
  return {
    getLogLevels: (pod, signal) => pick(pod).getLogLevels(pod, signal),
    setLogLevels: (pod, levels, signal) => pick(pod).setLogLevels(pod, levels, signal),
  };
}

/**
 * Whether a pod is a ztunnel: by its labels when the Snapshot has it, else by its name, as
 * istioctl does when it cannot read the pod (istio/istio istioctl/pkg/util/ambient/util.go
 * IsZtunnelPod: prefix `ztunnel`); e.g. a journal entry left by an earlier run in another scope.
 */
export function ztunnelIn(snapshot: () => Snapshot): (pod: PodRef) => boolean {
  return (ref) => {
    const pod = snapshot().pods.find((p) => p.namespace === ref.namespace && p.name === ref.name);
    return pod === undefined ? ref.name.startsWith('ztunnel') : isZtunnelPod(pod);
  };
}
