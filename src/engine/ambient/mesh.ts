/**
 * The `mesh` step of an ambient flow: ztunnel on the nodes (assumed when absent, like istiod), the
 * waypoint present, ready and programmed, and every proxy in the path (ztunnel, the waypoint, a sidecar
 * client) able to reach istiod on TCP 15012 for xDS and certificates
 * (https://istio.io/latest/docs/ambient/usage/troubleshoot-ztunnel/ and troubleshoot-waypoint/).
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { ExpectedResponse, ExplanationFinding, Fix, PolicyMention, Step } from '../explanation.js';
import type { ReachabilityCheck } from '../istio/types.js';
import { istiodFor, revisionOf } from '../istio/istiod.js';
import { istiodFixes } from '../istio/fix.js';
import { XDS_PORT } from '../istio/mesh.js';
import { ztunnelAssumption, ztunnelOf } from './ztunnel.js';
import type { WaypointBinding } from './waypoints.js';

export interface AmbientMeshOutcome {
  readonly step: Step;
  readonly response: ExpectedResponse | null;
  readonly findings: ExplanationFinding[];
  readonly fix: Fix[];
  readonly notes: string[];
  readonly assumptions: { code: string; message: string }[];
}

interface Proxy {
  readonly role: string;
  readonly pod: Pod;
}

function revisionOfProxy(snapshot: Snapshot, pod: Pod): string {
  return pod.annotations['istio.io/rev'] ?? revisionOf(snapshot, pod);
}

export function evaluateAmbientMesh(
  snapshot: Snapshot,
  proxies: readonly Proxy[],
  binding: WaypointBinding | null,
  reach: ReachabilityCheck,
): AmbientMeshOutcome {
  const out: AmbientMeshOutcome = {
    step: { layer: 'mesh', verdict: 'allowed', effective: true, summary: '', policies: [], enforcer: 'ztunnel' },
    response: null,
    findings: [],
    fix: [],
    notes: [],
    assumptions: [],
  };
  const z = ztunnelAssumption(snapshot);
  if (z) out.assumptions.push(z);
  const ok: string[] = [];
  const failed: { text: string; policies: readonly PolicyMention[] }[] = [];
  const all: Proxy[] = [...proxies];
  if (!ztunnelOf(snapshot).assumed) all.push({ role: 'ztunnel', pod: ztunnelOf(snapshot).pod });
  if (binding?.type === 'waypoint') {
    all.push({ role: 'waypoint', pod: binding.pod });
    const w = binding.waypoint;
    if (binding.podAssumed)
      out.assumptions.push({
        code: 'waypoint-pod-assumed',
        message: `no pod of waypoint ${w.namespace}/${w.name} in the input: assumed the one istiod deploys (service account ${w.serviceAccount})`,
      });
    if (w.ready === null)
      out.assumptions.push({
        code: 'waypoint-assumed-ready',
        message: `Gateway ${w.namespace}/${w.name} has no status in the input: assumed ready and programmed`,
      });
    if (w.programmed === false) out.notes.push(`Gateway ${w.namespace}/${w.name} reports Programmed=False`);
  }
  for (const p of all) {
    const istiod = istiodFor(snapshot, revisionOfProxy(snapshot, p.pod));
    const r = reach({ type: 'pod', pod: p.pod }, { type: 'pod', pod: istiod.pod }, 'TCP', XDS_PORT);
    const who = `${p.role} ${p.pod.namespace}/${p.pod.name}`;
    if (r.allowed) ok.push(`${who} reaches istiod on ${XDS_PORT}`);
    else {
      failed.push({
        text: `${who} cannot reach istiod on TCP ${XDS_PORT} (${r.summary}): it gets no config or certificates`,
        policies: r.policies,
      });
      out.fix.push(...istiodFixes(p.pod, istiod.pod, r.policies));
    }
  }
  if (binding?.type === 'unusable') ok.push(`no waypoint in the path: ${binding.reason}`);
  if (binding?.type === 'waypoint')
    ok.unshift(`waypoint ${binding.waypoint.namespace}/${binding.waypoint.name} in the path`);
  if (failed.length === 0) return { ...out, step: { ...out.step, summary: ok.join('; ') || 'ztunnel on the nodes' } };
  return {
    ...out,
    response: {
      status: 'connection-reset',
      body: null,
      flags: null,
      details: 'a proxy in the path has no configuration from istiod',
    },
    step: {
      ...out.step,
      verdict: 'denied',
      summary: failed.map((f) => f.text).join('; '),
      policies: failed.flatMap((f) => f.policies),
    },
  };
}
