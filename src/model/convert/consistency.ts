/** Checks across objects: duplicates, admin policy priorities, pods of one owner that policies tell apart. */
import type { AdminNetworkPolicy, LabelSelector, NetworkPolicy } from '../k8s.js';
import type { RawObject } from '../raw.js';
import type { PodGroup } from '../snapshot.js';
import { finding, placePrefix, type Finding } from '../findings.js';
import { selectorMatches } from '../selectors.js';
import { nameOf, namespaceOf } from './core.js';
import { cutText } from '../../util/cut-text.js';

/** How much of a name over 253 characters a message shows. */
const SHOWN_NAME_CHARS = 43;

const CLUSTER_SCOPED = new Set(['Namespace', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** metadata.name as the API server validates it for the kinds meshdbg evaluates. */
export function checkNames(objects: readonly RawObject[], sink: Finding[]): void {
  for (const raw of objects) {
    const kind = raw.object['kind'] as string;
    const name = nameOf(raw.object);
    const label = kind === 'Namespace';
    const ok =
      name.length > 0 &&
      (label ? name.length <= 63 && DNS_LABEL.test(name) : name.length <= 253 && DNS_SUBDOMAIN.test(name));
    if (ok) continue;
    const at = placePrefix(raw.loc);
    // no Kubernetes name is longer than 253 (a DNS subdomain): refused at once, and never echoed whole
    const tooLong = name.length > 253;
    const shown = tooLong ? cutText(name, SHOWN_NAME_CHARS) : name;
    const why = tooLong
      ? `is ${name.length} characters; Kubernetes names are at most ${label ? 63 : 253}`
      : name
        ? `must be a lowercase DNS ${label ? 'label' : 'subdomain'} (letters, digits, '-'${label ? '' : ", '.'"}), e.g. ${name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-')}; the API server would reject it (evaluated anyway)`
        : 'is required';
    sink.push(
      finding('invalid-name', `${at}${kind} "${shown}": metadata.name ${why}`, {
        object: { kind, namespace: null, name: tooLong ? cutText(name, 253) : name },
        field: 'metadata.name',
        loc: raw.loc,
        ...(tooLong ? { severity: 'error' as const } : {}),
      }),
    );
  }
}

export function checkDuplicates(objects: readonly RawObject[], defaultNamespace: string, sink: Finding[]): void {
  const seen = new Map<string, RawObject>();
  for (const raw of objects) {
    const kind = raw.object['kind'] as string;
    const ns = CLUSTER_SCOPED.has(kind) ? null : namespaceOf(raw.object, defaultNamespace);
    const key = `${kind}/${ns ?? ''}/${nameOf(raw.object)}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, raw);
      continue;
    }
    const at = (r: RawObject): string => (r.loc ? `${r.loc.file}${r.loc.line ? `:${r.loc.line}` : ''}` : 'input');
    sink.push(
      finding(
        'duplicate-object',
        `${at(raw)}: ${kind} ${ns ? `${ns}/` : ''}${nameOf(raw.object)} is defined twice (first at ${at(first)}); the API server keeps one object per name`,
        {
          object: { kind, namespace: ns, name: nameOf(raw.object) },
          loc: raw.loc,
        },
      ),
    );
  }
}

export function checkAdminPolicies(
  anps: readonly AdminNetworkPolicy[],
  baselines: readonly AdminNetworkPolicy[],
  sink: Finding[],
): void {
  for (let i = 1; i < anps.length; i++) {
    const a = anps[i - 1] as AdminNetworkPolicy;
    const b = anps[i] as AdminNetworkPolicy;
    if (a.priority === b.priority) {
      sink.push(
        finding(
          'anp-same-priority',
          `AdminNetworkPolicies ${a.name} and ${b.name} both have priority ${String(a.priority)}: their order is undefined by the spec; give them different priorities`,
          {
            object: { kind: 'AdminNetworkPolicy', namespace: null, name: b.name },
            loc: b.loc,
          },
        ),
      );
    }
  }
  if (baselines.length > 1) {
    sink.push(
      finding(
        'multiple-banp',
        `${baselines.length} BaselineAdminNetworkPolicies (${baselines.map((b) => b.name).join(', ')}); the cluster allows only one, named default`,
        {
          object: { kind: 'BaselineAdminNetworkPolicy', namespace: null, name: baselines[1]?.name ?? '' },
          loc: baselines[1]?.loc ?? null,
        },
      ),
    );
  }
}

function podSelectorsOf(policies: readonly NetworkPolicy[], admin: readonly AdminNetworkPolicy[]): LabelSelector[] {
  const out: LabelSelector[] = [];
  for (const p of policies) {
    out.push(p.podSelector);
    for (const r of [...p.ingress, ...p.egress])
      for (const peer of r.peers ?? []) if (peer.type === 'selector' && peer.podSelector) out.push(peer.podSelector);
  }
  for (const a of admin) {
    if (a.subject.type === 'pods') out.push(a.subject.podSelector);
    for (const r of [...a.ingress, ...a.egress])
      for (const peer of r.peers) if (peer.type === 'pods') out.push(peer.podSelector);
  }
  return out;
}

/** Pods of one workload whose labels a policy tells apart cannot be answered for "the workload". */
export function checkOwnerConsistency(
  groups: readonly PodGroup[],
  policies: readonly NetworkPolicy[],
  admin: readonly AdminNetworkPolicy[],
  sink: Finding[],
): void {
  const multi = groups.filter((g) => g.pods.length > 1);
  if (multi.length === 0) return;
  const selectors = podSelectorsOf(policies, admin);
  for (const g of multi) {
    const labelSets = new Set(g.pods.map((p) => JSON.stringify(Object.entries(p.labels).sort())));
    if (labelSets.size < 2) continue;
    const splitting = selectors.find((s) => {
      const first = selectorMatches(s, (g.pods[0] as (typeof g.pods)[number]).labels);
      return g.pods.some((p) => selectorMatches(s, p.labels) !== first);
    });
    if (!splitting) continue;
    sink.push(
      finding(
        'inconsistent-owner-pods',
        `${g.kind} ${g.namespace}/${g.name}: its pods have different labels and a policy selects on the difference, so "${g.name}" has no single answer; ask about a pod by name instead`,
        {
          object: { kind: g.kind, namespace: g.namespace, name: g.name },
          loc: g.pods[0]?.loc ?? null,
        },
      ),
    );
  }
}
