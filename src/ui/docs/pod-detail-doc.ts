/**
 * The pod detail: NetworkPolicies selecting it per direction, the authz-check table,
 * PeerAuthentication mode per port, RequestAuthentication, istio-proxy readiness and
 * recent pilot-agent errors, findings and recent denials.
 */
import { formatRuleRef, NO_RULE } from '../../model/rule-ref.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { AuthzDisplayRow, EnginePort, LiveAuthz } from '../data/engine-port.js';
import { mtlsFor, networkPoliciesSelecting, requestAuthenticationsFor } from '../data/pod-facts.js';
import type { PodRow } from '../data/pod-rows.js';
import type { LogLine } from '../feeds/log-feed.js';
import type { ShownDenial } from '../state/app-state.js';
import { stripControl } from '../sanitize.js';
import { policiesPerEnforcer } from '../data/ambient-facts.js';
import { proxyRowsDrift } from '../../sources/envoy-admin/drift.js';
import { line, table, type DocLine } from './doc.js';
import { formatClock } from './time.js';
import { calicoTierLines } from './calico-tiers-section.js';

export interface PodDetailInput {
  readonly snapshot: Snapshot;
  readonly engine: EnginePort;
  readonly row: PodRow;
  readonly logs: readonly LogLine[];
  readonly denials: readonly ShownDenial[];
  /** the running proxy's table, on live sources */
  readonly live: { readonly via: string; readonly table: LiveAuthz } | null;
}

const AGENT_ERROR = /\b(error|warn(ing)?)\b/i;

function networkPolicyLines(input: PodDetailInput): DocLine[] {
  const nps = networkPoliciesSelecting(input.snapshot, input.row.pod);
  const names = (dir: 'ingress' | 'egress'): string => {
    const picked = nps.filter((np) => (dir === 'ingress' ? np.affectsIngress : np.affectsEgress));
    return picked.length === 0 ? 'none (not isolated)' : picked.map((np) => stripControl(np.name)).join(', ');
  };
  return [line('NetworkPolicies selecting it', 'heading'), line(`  ingress: ${names('ingress')}`), line(`  egress:  ${names('egress')}`)];
}

function tableLines(rows: readonly AuthzDisplayRow[]): DocLine[] {
  if (rows.length === 0) return [line('  none: every request is allowed by authorization', 'dim')];
  const cells = [['ACTION', 'AuthorizationPolicy', 'RULES'], ...rows.map((r) => [r.action, stripControl(r.policy), String(r.rules)])];
  return table(cells).map((t) => line(t));
}

/** The running proxy's table and how it differs from the Snapshot's (stale config on the proxy). */
function liveLines(input: PodDetailInput, live: NonNullable<PodDetailInput['live']>): DocLine[] {
  const t = live.table;
  const from = t.status === 'done' && t.ambient ? t.ambient.from : `the proxy (${live.via})`;
  const head = line(`Live, from ${stripControl(from)}`, 'heading');
  if (t.status === 'loading') return [head, line('  reading...', 'dim')];
  if (t.status === 'error') return [head, line(`  ${stripControl(t.message)}`, 'error')];
  if (t.ambient) {
    const notes = t.ambient.messages.map((m) => line(`  ${stripControl(m)}`, 'warning'));
    return [head, ...tableLines(t.rows), ...(notes.length > 0 ? notes : [line('  same as the Snapshot', 'ok')])];
  }
  // rows read past an answer we could not understand may be incomplete: comparing them would
  // report policies "not enforced yet" that the proxy may well enforce
  if (t.issues && t.issues.length > 0) {
    const issues = t.issues.map((m) => line(`  ${stripControl(m)}`, 'warning'));
    const caveat = line(`  not compared with the Snapshot: part of the answer from ${stripControl(live.via)} was not understood`, 'warning');
    const rows = t.rows.length > 0 ? tableLines(t.rows) : [line('  no policy rows understood', 'warning')];
    return [head, ...rows, ...issues, caveat];
  }
  const { messages } = proxyRowsDrift(input.snapshot, input.row.pod, t.rows);
  const drift = messages.map((m) => line(`  ${stripControl(m)}`, 'warning'));
  return [head, ...tableLines(t.rows), ...(drift.length > 0 ? drift : [line('  same as the Snapshot', 'ok')])];
}

/** Ambient pods: what ztunnel and the waypoint enforce (README "Ambient mode"). */
function enforcerLines(input: PodDetailInput): DocLine[] {
  const per = policiesPerEnforcer(input.snapshot, input.row.pod);
  if (input.row.dataplane !== 'ambient') return [];
  const out = [line('Policies in force per enforcer (ambient)', 'heading')];
  for (const e of per) {
    out.push(line(`  ${e.enforcer}:`));
    if (e.lines.length === 0) out.push(line('    none', 'dim'));
    for (const l of e.lines) out.push(line(`    ${stripControl(l)}`));
  }
  return out;
}

function authzLines(input: PodDetailInput): DocLine[] {
  const rows = input.engine.authzCheckRows(input.snapshot, input.row.pod);
  const out = [line('Istio policies in force (istioctl x authz check, from the Snapshot)', 'heading'), ...tableLines(rows)];
  return input.live ? [...out, line(''), ...liveLines(input, input.live)] : out;
}

function mtlsLines(input: PodDetailInput): DocLine[] {
  const m = mtlsFor(input.snapshot, input.row.pod);
  const from = m.from ? `PeerAuthentication ${stripControl(`${m.from.namespace}/${m.from.name}`)}` : 'Istio default';
  const out = [line('PeerAuthentication', 'heading'), line(`  mode ${m.mode} (${from})`)];
  for (const [port, mode] of m.ports) out.push(line(`  port ${port}: ${mode}`));
  return out;
}

function requestAuthLines(input: PodDetailInput): DocLine[] {
  const ras = requestAuthenticationsFor(input.snapshot, input.row.pod);
  const out = [line('RequestAuthentication', 'heading')];
  if (ras.length === 0) out.push(line('  none', 'dim'));
  for (const ra of ras) out.push(line(`  ${stripControl(`${ra.namespace}/${ra.name}`)}: ${ra.jwtRules.map((r) => stripControl(r.issuer)).join(', ')}`));
  return out;
}

function proxyLines(input: PodDetailInput): DocLine[] {
  const { row } = input;
  const unknown = row.pod.fromTemplate ? 'readiness unknown (built from a workload template, not a live pod)' : 'readiness not reported by the source';
  const readiness = !row.sidecar ? 'no sidecar' : row.ready === 'yes' ? 'ready' : row.ready === 'no' ? 'not ready' : unknown;
  const errors = input.logs.filter((l) => l.pod === row.key && l.container === 'istio-proxy' && AGENT_ERROR.test(l.text)).slice(-5);
  const out = [line('istio-proxy', 'heading'), line(`  ${readiness}`, row.sidecar && row.ready === 'no' ? 'error' : 'plain')];
  for (const e of errors) out.push(line(`  ${formatClock(e.time)} ${stripControl(e.text)}`, 'error'));
  return out;
}

function findingLines(input: PodDetailInput): DocLine[] {
  const pod = input.row.pod;
  const names = new Set([pod.name, ...pod.owners.map((o) => o.name)]);
  const found = input.snapshot.findings.filter((f) => f.object !== null && f.object.namespace === pod.namespace && names.has(f.object.name));
  if (found.length === 0) return [];
  return [line('Findings', 'heading'), ...found.map((f) => line(`  ${f.severity} ${f.code}: ${stripControl(f.message)}`, f.severity === 'info' ? 'dim' : 'warning'))];
}

function denialLines(input: PodDetailInput): DocLine[] {
  const mine = input.denials.filter((d) => d.destination === input.row.key || d.source === input.row.key).slice(0, 10);
  const out = [line('Recent denials', 'heading')];
  if (mine.length === 0) out.push(line('  none seen', 'dim'));
  for (const d of mine) out.push(line(`  ${formatClock(d.time)} x${d.count} ${stripControl(d.source)} -> ${stripControl(d.destination)} ${stripControl(d.request)} ${stripControl(d.ruleRef ?? formatRuleRef(NO_RULE))}`, 'error'));
  return out;
}

export function podDetailDoc(input: PodDetailInput): DocLine[] {
  const r = input.row;
  const header = line(stripControl(`Pod ${r.key}  ${r.workload}  sa ${r.serviceAccount}  ip ${r.pod.ip ?? '-'}  sidecar ${r.sidecar ? 'yes' : 'no'}${r.dataplane === 'ambient' ? `  ambient  waypoint ${r.waypoint}` : ''}`), 'heading');
  const calico = calicoTierLines(input.snapshot, r.pod);
  const sections = [
    networkPolicyLines,
    ...(calico.length > 0 ? [() => calico] : []),
    ...(r.dataplane === 'ambient' ? [enforcerLines] : []),
    authzLines, mtlsLines, requestAuthLines, proxyLines, findingLines, denialLines];
  return [header, ...sections.flatMap((build) => [line(''), ...build(input)])];
}
