/**
 * The one rule reference (`ruleRef`): which rule of which policy decided, as a typed value.
 * Its text forms exist only at the edges (JSON/text output, log parsing); `formatRuleRef` and
 * `parseRuleRef` are the only code that writes or reads them.
 *
 * - Istio (sidecar and waypoint Envoy RBAC): the policy name istiod generates,
 *   `ns[NS]-policy[NAME]-rule[N]`; CUSTOM rules are `istio-ext-authz-[PROVIDER-]ns[..]-policy[..]-rule[N]`
 *   (the provider segment since multi-provider support), and a CUSTOM rule whose provider is
 *   unusable is enforced as a DENY named with the suffix `-deny-due-to-bad-CUSTOM-action`
 *   (istio/istio:pilot/pkg/security/authz/builder/builder.go, policyName and getBadCustomDenyRules).
 *   Envoy logs `matched policy none` when no rule decided
 *   (https://istio.io/latest/docs/tasks/security/authorization/authz-dry-run/).
 * - Kubernetes NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy, and the Istio
 *   PeerAuthentication / RequestAuthentication sections: `KIND:[NS/]NAME:SECTION[N]`
 *   (`NetworkPolicy:b/allow-a:ingress[0]`; no index when the policy decided as a whole).
 * - Calico tier rules: `GlobalNetworkPolicy:NAME:ingress[N]`, `CalicoNetworkPolicy:NS/NAME:egress[N]`,
 *   `[-1]` for a tier's end-of-tier action as Calico flow logs report it
 *   (https://docs.tigera.io/calico-enterprise/latest/observability/elastic/flow/datatypes, `policies`).
 *   The tier travels in the value, not in the text.
 * - ztunnel, which enforces L4 AuthorizationPolicies and reports the policy, not a rule:
 *   `AuthorizationPolicy:NS/NAME` (https://istio.io/latest/docs/ambient/usage/l4-policy/).
 * - none: no rule decided (Envoy's `none`).
 */
import { boundedMemo } from '../util/bounded-memo.js';

export interface ExtAuthzId {
  /** the CUSTOM provider segment, when the id has one */
  readonly provider: string | null;
  /** `-deny-due-to-bad-CUSTOM-action`: istiod turned the CUSTOM rule into a DENY */
  readonly badAction: boolean;
}

export interface IstioRuleRef {
  readonly type: 'istio';
  readonly namespace: string;
  readonly name: string;
  readonly rule: number;
  /** non-null for CUSTOM (ext_authz) ids */
  readonly extAuthz: ExtAuthzId | null;
}

/** A section of a Kubernetes or Istio object: `KIND:[NS/]NAME:SECTION[N]`. */
export interface SectionRuleRef {
  readonly type: 'section';
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly section: string;
  /** the rule's position; the port for PeerAuthentication `portLevelMtls`; null: the policy as a whole */
  readonly index: number | null;
}

export interface CalicoRuleRef {
  readonly type: 'calico';
  readonly kind: string;
  /** the policy's tier; null when read from text, which does not carry it */
  readonly tier: string | null;
  readonly namespace: string | null;
  readonly name: string;
  readonly section: string;
  /** -1: the tier's end-of-tier action; null: the policy as a whole */
  readonly index: number | null;
}

/** ztunnel names the policy, never the rule. */
export interface ZtunnelRuleRef {
  readonly type: 'ztunnel';
  readonly namespace: string;
  readonly name: string;
}

export interface NoRuleRef {
  readonly type: 'none';
}

export type RuleRef = IstioRuleRef | SectionRuleRef | CalicoRuleRef | ZtunnelRuleRef | NoRuleRef;

export const NO_RULE: NoRuleRef = { type: 'none' };

/** Calico's own policy kinds (Kubernetes kinds that Calico reports keep the section form). */
const CALICO_KINDS = new Set([
  'GlobalNetworkPolicy',
  'CalicoNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
  'Profile',
]);

export function isCalicoKind(kind: string): boolean {
  return CALICO_KINDS.has(kind);
}

export function istioRuleRef(
  namespace: string,
  name: string,
  rule: number,
  extAuthz: ExtAuthzId | null = null,
): IstioRuleRef {
  return { type: 'istio', namespace, name, rule, extAuthz };
}

/** `KIND:[NS/]NAME:SECTION[N]`: a Calico kind gives a Calico reference (without tier), any other a section. */
export function sectionRuleRef(
  kind: string,
  namespace: string | null,
  name: string,
  section: string,
  index: number | null,
  tier: string | null = null,
): SectionRuleRef | CalicoRuleRef {
  return isCalicoKind(kind)
    ? { type: 'calico', kind, tier, namespace, name, section, index }
    : { type: 'section', kind, namespace, name, section, index };
}

export function ztunnelRuleRef(namespace: string, name: string): ZtunnelRuleRef {
  return { type: 'ztunnel', namespace, name };
}

const EXT_AUTHZ_PREFIX = 'istio-ext-authz-';
const BAD_CUSTOM_SUFFIX = '-deny-due-to-bad-CUSTOM-action';

function formatIstio(r: IstioRuleRef): string {
  const id = `ns[${r.namespace}]-policy[${r.name}]-rule[${r.rule}]`;
  if (r.extAuthz === null) return id;
  const provider = r.extAuthz.provider === null ? '' : `${r.extAuthz.provider}-`;
  return `${EXT_AUTHZ_PREFIX}${provider}${id}${r.extAuthz.badAction ? BAD_CUSTOM_SUFFIX : ''}`;
}

export function formatRuleRef(ref: RuleRef): string {
  switch (ref.type) {
    case 'istio':
      return formatIstio(ref);
    case 'section':
    case 'calico': {
      const where = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
      return `${ref.kind}:${where}:${ref.section}${ref.index === null ? '' : `[${ref.index}]`}`;
    }
    case 'ztunnel':
      return `AuthorizationPolicy:${ref.namespace}/${ref.name}`;
    case 'none':
      return 'none';
  }
}

const ISTIO_ID =
  /^(istio-ext-authz-(?:(.+?)-)?)?ns\[(.+)\]-policy\[(.+)\]-rule\[(\d+)\](-deny-due-to-bad-CUSTOM-action)?$/;
const SECTION_REF = /^([A-Za-z]+):(?:([^/:]+)\/)?([^/:]+):([A-Za-z]+)(?:\[(-?\d+)\])?$/;
const ZTUNNEL_REF = /^AuthorizationPolicy:([^/:]+)\/([^/:]+)$/;
/** namespace and name are at most 253 characters each: a longer text is no id (and costs no backtracking) */
export const MAX_RULE_REF_LENGTH = 700;

function parseIstio(m: RegExpExecArray): IstioRuleRef {
  const extAuthz = m[1] === undefined ? null : { provider: m[2] ?? null, badAction: m[6] !== undefined };
  return istioRuleRef(m[3] ?? '', m[4] ?? '', Number(m[5]), extAuthz);
}

/** The reference a text names; null when it is none of the forms above. */
/**
 * The last references read, parsed: fixes and findings read the same few refs on every flow. The
 * parse is pure and a RuleRef immutable, so a shared answer is the same answer; bounded, so a long
 * session with changing inputs does not grow it.
 */
const parsedRefs = boundedMemo(4096, (text) => parseRuleRefText(text));

export function parseRuleRef(text: string): RuleRef | null {
  return parsedRefs(text);
}

function parseRuleRefText(text: string): RuleRef | null {
  if (text === 'none') return NO_RULE;
  if (text.length > MAX_RULE_REF_LENGTH) return null;
  const istio = ISTIO_ID.exec(text);
  if (istio) return parseIstio(istio);
  const ztunnel = ZTUNNEL_REF.exec(text);
  if (ztunnel) return ztunnelRuleRef(ztunnel[1] ?? '', ztunnel[2] ?? '');
  const s = SECTION_REF.exec(text);
  if (!s) return null;
  return sectionRuleRef(s[1] ?? '', s[2] ?? null, s[3] ?? '', s[4] ?? '', s[5] === undefined ? null : Number(s[5]));
}

/** An Istio id as Envoy prints it; null for `none` and for anything istiod did not generate. */
export function parseIstioRuleRef(text: string): IstioRuleRef | null {
  const ref = parseRuleRef(text);
  return ref?.type === 'istio' ? ref : null;
}

/** The rule a reference points at inside its policy: the spec section and index, or null. */
export function ruleSection(ref: RuleRef): { readonly section: string; readonly index: number } | null {
  switch (ref.type) {
    case 'istio':
      return { section: 'rules', index: ref.rule };
    case 'section':
    case 'calico':
      // a PeerAuthentication decides by its mode; its portLevelMtls index is a port, not a rule
      if (ref.kind === 'PeerAuthentication' || ref.index === null || ref.index < 0) return null;
      return { section: ref.section, index: ref.index };
    case 'ztunnel':
    case 'none':
      return null;
  }
}

/**
 * istiod's stand-in for a CUSTOM policy whose provider is missing or invalid: a DENY-all RBAC
 * policy (istio/istio:pilot/pkg/security/authz/builder/extauthz.go, `rbacDefaultDenyAll`).
 */
export const BAD_CUSTOM_DENY_ALL_ID = 'default-deny-all-due-to-bad-CUSTOM-action';

/** An id istiod gives the DENY it enforces in place of an unusable CUSTOM policy. */
export function isBadCustomActionId(text: string): boolean {
  if (text === BAD_CUSTOM_DENY_ALL_ID) return true;
  const ref = parseRuleRef(text);
  return ref?.type === 'istio' && ref.extAuthz !== null && ref.extAuthz.badAction;
}

const RBAC_DENIED = 'rbac_access_denied_matched_policy[';

/** Envoy's response details for an RBAC denial: `rbac_access_denied_matched_policy[ID|none]`. */
export function formatRbacDeniedDetails(ref: RuleRef | string): string {
  return `${RBAC_DENIED}${typeof ref === 'string' ? ref : formatRuleRef(ref)}]`;
}

/** The raw id inside `rbac_access_denied_matched_policy[ID]` (null for `none`); undefined when the text is not one. */
export function rbacDeniedPolicyId(details: string): string | null | undefined {
  if (!details.startsWith(RBAC_DENIED)) return undefined;
  const end = details.lastIndexOf(']');
  const id = end > RBAC_DENIED.length ? details.slice(RBAC_DENIED.length, end) : '';
  return id === 'none' || id === '' ? null : id;
}
