/**
 * One small interface over the two ways meshdbg talks to a sidecar: istioctl when it is
 * on PATH, or natively through a port-forward to Envoy admin (15000).
 */
import type { LoggerLevels } from '../../parsers/envoy-logging.js';
import type { AuthzCheckTable } from '../../parsers/istioctl-authz-check.js';

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
}

/** Reading and setting a proxy's log levels (Envoy's loggers, or ztunnel's targets). */
export interface LogLevelControl {
  /** Current logger levels. */
  getLogLevels(pod: PodRef, signal?: AbortSignal): Promise<LoggerLevels>;
  /** Sets the given loggers and returns the levels the proxy reports afterwards. */
  setLogLevels(pod: PodRef, levels: LoggerLevels, signal?: AbortSignal): Promise<LoggerLevels>;
}

export interface ProxyControl extends LogLevelControl {
  readonly via: 'istioctl' | 'native';
  /** The `istioctl x authz check` table for the pod's proxy. */
  authzCheck(pod: PodRef, signal?: AbortSignal): Promise<AuthzCheckTable>;
}

export function podLabel(pod: PodRef): string {
  return `${pod.name}.${pod.namespace}`;
}
