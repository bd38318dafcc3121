/**
 * ztunnel access log lines, as ztunnel prints them (istio/ztunnel src/telemetry.rs IstioFormat:
 * `TIME\tlevel\ttarget\tmessage\tk=v ...`; fields and order from src/proxy/metrics.rs
 * `ConnectionResult::record_internal`, level `error` with an `error` field when the connection
 * failed; a policy denial's text from src/proxy.rs `AuthorizationRejectionError`). Example of the
 * info form: https://istio.io/latest/docs/ambient/usage/troubleshoot-ztunnel/ ("Verifying ztunnel
 * traffic through logs").
 */

export interface ZtunnelEnd {
  readonly ip: string;
  readonly port: number;
  readonly workload: string;
  readonly namespace: string;
  /** `spiffe://...`, omitted from the line without mTLS */
  readonly identity: string | null;
}

export interface ZtunnelConnection {
  readonly time: string;
  readonly src: ZtunnelEnd;
  readonly dst: ZtunnelEnd;
  /** the HBONE inner target (`ip:port` of the app), null for plaintext */
  readonly hboneAddr: string | null;
  /** `name.ns.svc.cluster.local` */
  readonly service: string | null;
  readonly direction: 'inbound' | 'outbound';
  /** null: success (`info`); else the error text (`error`) */
  readonly error: string | null;
  readonly bytesSent: number;
  readonly bytesRecv: number;
  readonly durationMs: number;
}

const q = (s: string): string => JSON.stringify(s);

export function ztunnelAccessLine(c: ZtunnelConnection): string {
  const fields = [
    `src.addr=${c.src.ip}:${c.src.port}`,
    `src.workload=${q(c.src.workload)}`,
    `src.namespace=${q(c.src.namespace)}`,
    ...(c.src.identity ? [`src.identity=${q(c.src.identity)}`] : []),
    `dst.addr=${c.dst.ip}:${c.dst.port}`,
    ...(c.hboneAddr ? [`dst.hbone_addr=${c.hboneAddr}`] : []),
    ...(c.service ? [`dst.service=${q(c.service)}`] : []),
    `dst.workload=${q(c.dst.workload)}`,
    `dst.namespace=${q(c.dst.namespace)}`,
    ...(c.dst.identity ? [`dst.identity=${q(c.dst.identity)}`] : []),
    `direction=${q(c.direction)}`,
    `bytes_sent=${c.bytesSent}`,
    `bytes_recv=${c.bytesRecv}`,
    `duration=${q(`${c.durationMs}ms`)}`,
    ...(c.error ? [`error=${q(c.error)}`] : []),
  ];
  return `${c.time}\t${c.error ? 'error' : 'info'}\taccess\tconnection complete\t${fields.join(' ')}`;
}
