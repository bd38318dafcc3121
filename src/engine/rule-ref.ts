/**
 * The one canonical rule reference. Istio: the Envoy policy id istiod generates,
 * `[istio-ext-authz-[PROVIDER-]]ns[NS]-policy[NAME]-rule[N]`. Others: `KIND:NS/NAME:SECTION[N]`
 * (cluster-scoped kinds omit `NS/`).
 */

export interface IstioRuleRef {
  readonly namespace: string;
  readonly name: string;
  readonly rule: number;
  /** true for CUSTOM (ext_authz) ids */
  readonly extAuthz: boolean;
  /** CUSTOM provider segment (Istio >= 1.30 multi-provider ids), when present */
  readonly provider: string | null;
}

export function formatIstioRuleRef(namespace: string, name: string, rule: number, custom = false): string {
  return `${custom ? 'istio-ext-authz-' : ''}ns[${namespace}]-policy[${name}]-rule[${rule}]`;
}

const ISTIO_ID = /^(istio-ext-authz-(?:(.+?)-)?)?ns\[(.+)\]-policy\[(.+)\]-rule\[(\d+)\]$/;

/** Parses an Envoy RBAC policy id; null for `none` or ids Istio did not generate. */
export function parseIstioRuleRef(id: string): IstioRuleRef | null {
  const m = ISTIO_ID.exec(id);
  if (!m) return null;
  return {
    extAuthz: m[1] !== undefined,
    provider: m[2] ?? null,
    namespace: m[3] ?? '',
    name: m[4] ?? '',
    rule: Number(m[5]),
  };
}

/** `NetworkPolicy:b/allow-a:ingress[0]`, `AdminNetworkPolicy:deny-x:egress[2]`, `NetworkPolicy:b/deny-all:ingress`. */
export function formatK8sRuleRef(
  kind: string,
  namespace: string | null,
  name: string,
  section: string,
  index: number | null,
): string {
  const where = namespace ? `${namespace}/${name}` : name;
  return `${kind}:${where}:${section}${index === null ? '' : `[${index}]`}`;
}
