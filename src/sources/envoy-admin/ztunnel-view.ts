/**
 * The pod detail's live ambient view: the config_dump of the ztunnel on the pod's node, read
 * through a port-forward to ztunnel's admin port (15000, istio/ztunnel src/config.rs
 * DEFAULT_ADMIN_PORT; `GET /config_dump`, src/admin.rs), compared with the Snapshot.
 */
import type { Pod } from '../../model/k8s.js';
import { isZtunnelPod } from '../../model/convert/sidecar.js';
import type { Snapshot } from '../../model/snapshot.js';
import { parseZtunnelConfigDump } from '../../parsers/ztunnel-config-dump.js';
import { MeshdbgError } from '../../util/errors.js';
import type { AdminRequester } from './native-proxy-control.js';
import { ztunnelDrift, type ZtunnelRow } from './ztunnel-drift.js';

export interface ZtunnelView {
  /** e.g. `ztunnel istio-system/ztunnel-abcde (config_dump)` */
  readonly from: string;
  readonly rows: readonly ZtunnelRow[];
  readonly messages: readonly string[];
}

const MAX_DUMP_BYTES = 64 * 1024 * 1024;

/** The ztunnel pod on the node of `pod`, when the Snapshot has one. */
export function ztunnelOnNode(snapshot: Snapshot, pod: Pod): Pod | null {
  if (pod.nodeName === null) return null;
  return snapshot.pods.find((p) => !p.fromTemplate && isZtunnelPod(p) && p.nodeName === pod.nodeName) ?? null;
}

export async function readZtunnelView(
  request: AdminRequester,
  snapshot: Snapshot,
  pod: Pod,
  opts: { readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<ZtunnelView> {
  const z = ztunnelOnNode(snapshot, pod);
  if (z === null)
    throw new MeshdbgError(
      'ztunnel-not-found',
      `no ztunnel pod on the node of ${pod.namespace}/${pod.name} (${pod.nodeName ?? 'node unknown'})`,
      {
        exitCode: 3,
        hint: 'ztunnel runs as a DaemonSet in the Istio namespace (app: ztunnel); check that it is scheduled on this node',
      },
    );
  const ref = { namespace: z.namespace, name: z.name };
  const res = await request(ref, {
    method: 'GET',
    path: '/config_dump',
    timeoutMs: opts.timeoutMs,
    maxBytes: MAX_DUMP_BYTES,
    signal: opts.signal,
  });
  if (res.status < 200 || res.status > 299)
    throw new MeshdbgError(
      'ztunnel-admin-failed',
      `ztunnel admin /config_dump on ${z.name}.${z.namespace} answered ${res.status}`,
      { exitCode: 3 },
    );
  const { dump, issues } = parseZtunnelConfigDump(res.body);
  if (dump === null)
    throw new MeshdbgError(
      'ztunnel-admin-output',
      `ztunnel ${z.name}.${z.namespace}: ${issues[0]?.message ?? 'unreadable config_dump'}`,
      { exitCode: 3 },
    );
  const drift = ztunnelDrift(snapshot, pod, dump);
  return {
    from: `ztunnel ${z.namespace}/${z.name} (config_dump)`,
    rows: drift.rows,
    messages: [...issues.map((i) => i.message), ...drift.messages],
  };
}
