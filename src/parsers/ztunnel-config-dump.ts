/**
 * ztunnel's view of the mesh from its admin `GET /config_dump` (port 15000; istio/ztunnel
 * src/admin.rs ConfigDump, src/state.rs ProxyState serialization) or `istioctl ztunnel-config all
 * -o json` (the same document): `workloads`, `services`, `policies`. Older ztunnels printed maps
 * keyed by address instead of lists; istioctl reads both (istio/istio
 * istioctl/pkg/writer/ztunnel/configdump/configdump.go unmarshalListOrMap), so does this.
 */
import type { ParseIssue } from './istioctl-authz-check.js';

export interface ZtunnelWorkload {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly node: string;
  /** `HBONE` for captured (ambient) workloads, `TCP` for the rest (src/state/workload.rs InboundProtocol) */
  readonly protocol: string;
  /** `ns/name` keys of the WorkloadSelector policies istiod bound to it */
  readonly authorizationPolicies: readonly string[];
  /** the waypoint's address as ztunnel holds it (`network/ip`, or a hostname) */
  readonly waypoint: string | null;
}

export interface ZtunnelPolicy {
  readonly name: string;
  readonly namespace: string;
  /** Global | Namespace | WorkloadSelector (src/rbac.rs RbacScope) */
  readonly scope: string;
  /** Allow | Deny */
  readonly action: string;
  readonly rules: number;
  readonly dryRun: boolean;
}

export interface ZtunnelService {
  readonly name: string;
  readonly namespace: string;
  /** `network/ip` (the network may be empty: `/10.96.0.1`) */
  readonly vips: readonly string[];
}

export interface ZtunnelDump {
  readonly workloads: readonly ZtunnelWorkload[];
  readonly services: readonly ZtunnelService[];
  readonly policies: readonly ZtunnelPolicy[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A list, or a map whose values are the items (older ztunnels); anything else is an issue. */
function items(doc: Json, key: string, issues: ParseIssue[]): Json[] {
  const v = doc[key];
  if (v === undefined || v === null) return [];
  const all = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : null;
  if (all === null) {
    issues.push({
      line: 0,
      message: `ztunnel config_dump: "${key}" is neither a list nor a map`,
    });
    return [];
  }
  return all.filter(isObject);
}

function waypointOf(w: Json): string | null {
  const wp = w['waypoint'];
  if (!isObject(wp)) return null;
  const dest = wp['destination'];
  const host = isObject(dest) ? str(dest['hostname']) || str(dest['address']) : str(dest);
  return host === '' ? null : host;
}

function workload(w: Json): ZtunnelWorkload {
  return {
    uid: str(w['uid']),
    name: str(w['name']),
    namespace: str(w['namespace']),
    serviceAccount: str(w['serviceAccount']),
    node: str(w['node']),
    protocol: str(w['protocol']) || 'TCP',
    authorizationPolicies: Array.isArray(w['authorizationPolicies']) ? w['authorizationPolicies'].map(str) : [],
    waypoint: waypointOf(w),
  };
}

function policy(p: Json): ZtunnelPolicy {
  return {
    name: str(p['name']),
    namespace: str(p['namespace']),
    scope: str(p['scope']),
    action: str(p['action']),
    rules: Array.isArray(p['rules']) ? p['rules'].length : 0,
    dryRun: p['dryRun'] === true,
  };
}

export function parseZtunnelConfigDump(text: string): {
  dump: ZtunnelDump | null;
  issues: ParseIssue[];
} {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return {
      dump: null,
      issues: [
        {
          line: 0,
          message: `ztunnel config_dump is not JSON: ${(err as Error).message}`,
        },
      ],
    };
  }
  if (!isObject(doc) || !('workloads' in doc || 'policies' in doc))
    return {
      dump: null,
      issues: [
        {
          line: 0,
          message: 'not a ztunnel config_dump: no "workloads" or "policies"',
        },
      ],
    };
  const issues: ParseIssue[] = [];
  return {
    dump: {
      workloads: items(doc, 'workloads', issues).map(workload),
      services: items(doc, 'services', issues).map((v) => ({
        name: str(v['name']),
        namespace: str(v['namespace']),
        vips: Array.isArray(v['vips']) ? v['vips'].map(str) : [],
      })),
      policies: items(doc, 'policies', issues).map(policy),
    },
    issues,
  };
}

/**
 * The policies ztunnel applies to a workload, as `assert_rbac` gathers them (istio/ztunnel
 * src/state.rs): its namespace's Namespace-scope policies, the Global ones, and the workload's own.
 */
export function policiesForWorkload(dump: ZtunnelDump, w: ZtunnelWorkload): ZtunnelPolicy[] {
  const own = new Set(w.authorizationPolicies);
  return dump.policies.filter(
    (p) =>
      (p.scope === 'Namespace' && p.namespace === w.namespace) ||
      p.scope === 'Global' ||
      own.has(`${p.namespace}/${p.name}`),
  );
}

/** The Service behind a waypoint address (`network/ip`), as istioctl's workload summary names it. */
export function waypointService(dump: ZtunnelDump, address: string): ZtunnelService | null {
  return dump.services.find((s) => s.vips.includes(address)) ?? null;
}
