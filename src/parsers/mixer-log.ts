/**
 * Mixer's telemetry log entries (Istio 1.0-1.4; Mixer was removed in 1.8): the `logentry` instances
 * Mixer's stdio handler prints as one JSON object per line (`outputAsJson: true`), read with
 * `kubectl -n istio-system logs -l istio-mixer-type=telemetry -c mixer`. Two shapes carry an
 * authorization outcome (istio/istio.io content/en/docs/tasks/security/authz-permissive/index.md):
 * - `accesslog.instance.istio-system` (Istio 1.1+ default): `sourceIp`, `sourceName`, `sourceNamespace`,
 *   `sourcePrincipal`, the `destination*` twins, `method`, `url`, `responseCode`, `reporter`;
 * - `rbacsamplelog.logentry.istio-system` (istio/istio
 *   samples/bookinfo/platform/kube/rbac/rbac-permissive-telemetry.yaml): `source` and `destination` are
 *   the workloads' `app` labels, `user` is `source.user`.
 * Both print `permissiveResponseCode` (the attribute `rbac.permissive.response_code`: what the RBAC
 * policies in PERMISSIVE mode would have decided, `allowed` or `denied`) and
 * `permissiveResponsePolicyID` (`rbac.permissive.effective_policy_id`, `none` or empty when none).
 */
import type { MixerLogEntry, MixerPeer } from './log-event.js';

export type MixerLogFields = Omit<MixerLogEntry, 'kind' | 'lineNo' | 'origin' | 'evidence'>;

/** true for a Mixer logentry record that can carry an authorization outcome. */
export function isMixerLogJson(obj: Readonly<Record<string, unknown>>): boolean {
  return typeof obj['instance'] === 'string' && ('permissiveResponseCode' in obj || 'responseCode' in obj);
}

function text(obj: Readonly<Record<string, unknown>>, key: string): string | null {
  const v = obj[key];
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v !== '' && v !== '-' && v !== 'unknown' ? v : null;
}

function peer(obj: Readonly<Record<string, unknown>>, side: 'source' | 'destination'): MixerPeer {
  const s = (k: string): string | null => text(obj, `${side}${k}`);
  return {
    // rbacsamplelog: `source` / `destination` are the app label (or the workload name)
    app: s('App') ?? text(obj, side),
    pod: s('Name'),
    namespace: s('Namespace'),
    workload: s('Workload'),
    ip: s('Ip'),
    principal: s('Principal') ?? (side === 'source' ? text(obj, 'user') : null),
  };
}

function permissive(obj: Readonly<Record<string, unknown>>): MixerLogEntry['permissive'] {
  const result = text(obj, 'permissiveResponseCode');
  if (result === null) return null;
  const id = text(obj, 'permissiveResponsePolicyID');
  return { result, policyId: id === null || id === 'none' ? null : id };
}

export function mixerLogFromJson(obj: Readonly<Record<string, unknown>>): MixerLogFields {
  const status = Number(text(obj, 'responseCode'));
  const size = Number(text(obj, 'responseSize'));
  return {
    time: text(obj, 'time'),
    instance: text(obj, 'instance') ?? '',
    reporter: text(obj, 'reporter'),
    protocol: text(obj, 'protocol'),
    method: text(obj, 'method'),
    path: text(obj, 'url'),
    authority: text(obj, 'httpAuthority'),
    requestedServerName: text(obj, 'requestedServerName'),
    status: Number.isInteger(status) && status > 0 ? status : null,
    responseSize: Number.isInteger(size) ? size : null,
    source: peer(obj, 'source'),
    destination: peer(obj, 'destination'),
    destinationServiceHost: text(obj, 'destinationServiceHost'),
    permissive: permissive(obj),
  };
}
