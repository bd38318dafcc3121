/**
 * Sidecar traffic capture (istio-iptables) as the pod annotations configure it:
 * `traffic.sidecar.istio.io/includeInboundPorts`, `excludeInboundPorts`, `excludeOutboundPorts`,
 * `excludeOutboundIPRanges`, `includeOutboundIPRanges`, `sidecar.istio.io/interceptionMode: NONE`.
 */
import type { Pod } from '../../model/k8s.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import { ipInCidr } from '../../util/cidr.js';

const A = 'traffic.sidecar.istio.io/';

function csv(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export type Capture = { readonly captured: true } | { readonly captured: false; readonly reason: string };

const YES: Capture = { captured: true };

const PORT_ANNOTATIONS = ['excludeInboundPorts', 'includeInboundPorts', 'excludeOutboundPorts'];
const RANGE_ANNOTATIONS = ['excludeOutboundIPRanges', 'includeOutboundIPRanges'];

/** The port numbers the pod's capture annotations name: a port listed there can be captured differently from its neighbours. */
export function capturePorts(pod: Pod): number[] {
  const listed = PORT_ANNOTATIONS.flatMap((name) => csv(pod.annotations[`${A}${name}`]) ?? []);
  return listed.filter((p) => /^\d+$/.test(p)).map(Number);
}

/** The address ranges the pod's capture annotations name (`*` excluded). */
export function captureRanges(pod: Pod): string[] {
  return RANGE_ANNOTATIONS.flatMap((name) => csv(pod.annotations[`${A}${name}`]) ?? []).filter((r) => r !== '*');
}

export function inboundCapture(pod: Pod, port: number): Capture {
  if (!podHasSidecar(pod)) return { captured: false, reason: 'the pod has no istio-proxy sidecar' };
  const a = pod.annotations;
  if (a['sidecar.istio.io/interceptionMode'] === 'NONE')
    return { captured: false, reason: 'sidecar.istio.io/interceptionMode: NONE' };
  const exclude = csv(a[`${A}excludeInboundPorts`]);
  if (exclude?.includes(String(port))) return { captured: false, reason: `${A}excludeInboundPorts lists ${port}` };
  const include = csv(a[`${A}includeInboundPorts`]);
  if (include !== null && !include.includes('*') && !include.includes(String(port))) {
    return {
      captured: false,
      reason: `${A}includeInboundPorts (${a[`${A}includeInboundPorts`] ?? ''}) does not list ${port}`,
    };
  }
  return YES;
}

/** Outbound capture for a connection to `ip:port` as the client addresses it (ClusterIP:servicePort or pod IP:port). */
export function outboundCapture(pod: Pod, ip: string | null, port: number): Capture {
  if (!podHasSidecar(pod)) return { captured: false, reason: 'the pod has no istio-proxy sidecar' };
  const a = pod.annotations;
  if (a['sidecar.istio.io/interceptionMode'] === 'NONE')
    return { captured: false, reason: 'sidecar.istio.io/interceptionMode: NONE' };
  if (csv(a[`${A}excludeOutboundPorts`])?.includes(String(port)))
    return { captured: false, reason: `${A}excludeOutboundPorts lists ${port}` };
  if (ip === null) return YES;
  const excluded = csv(a[`${A}excludeOutboundIPRanges`])?.find((c) => ipInCidr(ip, c.trim()));
  if (excluded !== undefined)
    return { captured: false, reason: `${A}excludeOutboundIPRanges ${excluded} contains ${ip}` };
  const include = csv(a[`${A}includeOutboundIPRanges`]);
  if (include !== null && !include.includes('*') && !include.some((c) => ipInCidr(ip, c.trim()))) {
    return {
      captured: false,
      reason: `${A}includeOutboundIPRanges (${a[`${A}includeOutboundIPRanges`] ?? ''}) does not contain ${ip}`,
    };
  }
  return YES;
}
