/**
 * ProxyControl without istioctl: Envoy admin (15000) through a port-forward.
 * `GET /config_dump?resource=dynamic_listeners` -> the same table istioctl prints;
 * `POST /logging` reads levels, `POST /logging?rbac=debug` sets one.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { authzRowsFromConfigDump, parseConfigDumpText } from '../../parsers/envoy-config-dump.js';
import { loggingQueries, parseEnvoyLogging } from '../../parsers/envoy-logging.js';
import type { LoggerLevels } from '../../parsers/envoy-logging.js';
import { MeshdbgError } from '../../util/errors.js';
import { requestViaPortForward } from '../kube/port-forward.js';
import type { ForwardedRequest, ForwardedResponse } from '../kube/port-forward.js';
import { podLabel } from './proxy-control.js';
import type { PodRef, ProxyControl } from './proxy-control.js';

export const ENVOY_ADMIN_PORT = 15000;
export const DEFAULT_MAX_CONFIG_DUMP_BYTES = 64 * 1024 * 1024;

/** Sends one admin request to a pod; injectable for tests. */
export type AdminRequester = (pod: PodRef, req: ForwardedRequest) => Promise<ForwardedResponse>;

export interface NativeProxyOptions {
  readonly timeoutMs: number;
  readonly maxConfigDumpBytes?: number;
  readonly adminPort?: number;
}

export function portForwardRequester(kc: KubeConfig, adminPort = ENVOY_ADMIN_PORT): AdminRequester {
  return (pod, req) => requestViaPortForward(kc, pod, adminPort, req);
}

function adminError(pod: PodRef, path: string, res: ForwardedResponse): MeshdbgError {
  const first = res.body.trim().split('\n')[0] ?? '';
  return new MeshdbgError(
    'envoy-admin-failed',
    `Envoy admin ${path} on ${podLabel(pod)} answered ${res.status}${first ? `: ${first}` : ''}`,
    {
      exitCode: 3,
      hint: 'the proxy may be an old Envoy or not ready; try istioctl on PATH',
    },
  );
}

/** ProxyControl that talks to Envoy admin directly. */
export function createNativeProxyControl(request: AdminRequester, opts: NativeProxyOptions): ProxyControl {
  const maxBytes = opts.maxConfigDumpBytes ?? DEFAULT_MAX_CONFIG_DUMP_BYTES;

  async function admin(pod: PodRef, method: 'GET' | 'POST', path: string, signal?: AbortSignal): Promise<string> {
    const res = await request(pod, { method, path, timeoutMs: opts.timeoutMs, maxBytes, signal });
    if (res.status < 200 || res.status > 299) throw adminError(pod, path, res);
    return res.body;
  }

  async function readLevels(pod: PodRef, signal?: AbortSignal): Promise<LoggerLevels> {
    const parsed = parseEnvoyLogging(await admin(pod, 'POST', '/logging', signal));
    if (Object.keys(parsed.levels).length === 0) {
      throw new MeshdbgError('envoy-admin-output', `Envoy admin /logging on ${podLabel(pod)} listed no loggers`, {
        exitCode: 3,
      });
    }
    return parsed.levels;
  }

  return {
    via: 'native',
    async authzCheck(pod, signal) {
      const text = await admin(pod, 'GET', '/config_dump?resource=dynamic_listeners', signal);
      const { dump, issues } = parseConfigDumpText(text);
      if (!dump) return { rows: [], issues };
      const result = authzRowsFromConfigDump(dump);
      return { rows: result.rows, issues: [...issues, ...result.issues] };
    },
    getLogLevels: readLevels,
    async setLogLevels(pod, levels, signal) {
      for (const query of loggingQueries(levels)) await admin(pod, 'POST', `/logging?${query}`, signal);
      return readLevels(pod, signal);
    },
  };
}
