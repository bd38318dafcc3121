/**
 * The checks Calico applies to a whole policy spec, each where Calico rejects it:
 * - CEL on the spec types, projectcalico/calico:api/pkg/apis/projectcalico/v3/networkpolicy.go,
 *   globalnetworkpolicy.go, staged*.go (global() only in a rule's namespaceSelector; preDNAT,
 *   doNotTrack and applyOnForward);
 * - libcalico-go/lib/validator/v3/validator.go validateGlobalNetworkPolicySpec (a services match
 *   names its namespace), validateStagedNetworkPolicy / validateStagedGlobalNetworkPolicy
 *   (stagedAction Delete leaves every other field but tier empty), the `name` validator on tier,
 *   and `performanceHints` (oneof=AssumeNeededOnEveryNode, unique).
 */
import { arrayAt, recordAt, stringAt, type ConvertContext, type Json } from './context.js';

/**
 * Policy names as libcalico-go/lib/validator/v3/validator.go checks them
 * (projectcalico/calico@87c15906f20c): networkPolicyNameRegex for NetworkPolicy and
 * StagedNetworkPolicy (a DNS label, a label with one dot for a tier prefix, or `knp.default.` /
 * `ossg.default.` before a DNS subdomain), globalNetworkPolicyNameRegex for GlobalNetworkPolicy and
 * StagedGlobalNetworkPolicy (a DNS label, optionally after one `label.`), at most 253 characters.
 * validator_test.go: "t.h.i.ng", "tHiNg" and "t~!s.h.i.ng" are refused everywhere, "th.ing" and
 * "knp.default.thing" pass for a NetworkPolicy, "knp.default.thing" is refused for a global one.
 */
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const NETWORK_POLICY_NAME = new RegExp(
  `^((${LABEL})(\\.${LABEL})?|((?:knp|ossg)\\.default\\.(${LABEL}(\\.${LABEL})*)))$`,
);
const GLOBAL_NETWORK_POLICY_NAME = new RegExp(`^(${LABEL}\\.)?${LABEL}$`);
const NAME_MAX = 253;

/**
 * The Calico API server (projectcalico.org/v3) refuses such a name; the CRDs
 * (crd.projectcalico.org/v1) are written without Calico's validator, so they are not checked.
 * Reported as `invalid-name` warnings and evaluated anyway, as every invalid name is (README
 * "Semantics" 6); a name over 253 characters is no Kubernetes name at all and is an error.
 */
export function checkCalicoPolicyName(name: string, global: boolean, apiVersion: string, ctx: ConvertContext): void {
  if (!apiVersion.startsWith('projectcalico.org/')) return;
  if (name.length > NAME_MAX) {
    ctx.report(
      'invalid-name',
      'metadata.name',
      `name is too long by ${name.length - NAME_MAX} bytes (validator.go)`,
      undefined,
      'error',
    );
    return;
  }
  const ok = (global ? GLOBAL_NETWORK_POLICY_NAME : NETWORK_POLICY_NAME).test(name);
  if (!ok)
    ctx.report(
      'invalid-name',
      'metadata.name',
      global
        ? "a global policy name is lower case alphanumeric characters or '-', with at most one '.' after a tier name (validator.go globalNetworkPolicyNameRegex); the Calico API server would reject it (evaluated anyway)"
        : "a policy name is lower case alphanumeric characters or '-', with at most one '.' after a tier name, or knp.default.NAME (validator.go networkPolicyNameRegex); the Calico API server would reject it (evaluated anyway)",
    );
}

const GLOBAL_SELECTOR = 'global() can only be used in an EntityRule namespaceSelector';
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkGlobalSelectors(spec: Json, global: boolean, ctx: ConvertContext): void {
  const fields = global
    ? ['selector', 'serviceAccountSelector', 'namespaceSelector']
    : ['selector', 'serviceAccountSelector'];
  for (const f of fields)
    if (stringAt(spec[f])?.includes('global('))
      ctx.report(
        'invalid-selector',
        `spec.${f}`,
        `${GLOBAL_SELECTOR} (networkpolicy.go, globalnetworkpolicy.go)`,
        spec,
      );
}

/** validateGlobalNetworkPolicySpec: at global scope a services match needs a namespace. */
function checkServiceNamespaces(spec: Json, ctx: ConvertContext): void {
  const sides = [
    ['egress', 'destination'],
    ['ingress', 'source'],
  ] as const;
  for (const [direction, side] of sides)
    for (const [i, r] of (arrayAt(spec[direction]) ?? []).entries()) {
      const services = recordAt(recordAt(recordAt(r)?.[side])?.['services']);
      if (services && !stringAt(services['namespace']))
        ctx.report(
          'invalid-field',
          `spec.${direction}[${i}].${side}.services.namespace`,
          'must specify a namespace (validator.go validateGlobalNetworkPolicySpec)',
          services,
        );
    }
}

/** CEL on GlobalNetworkPolicySpec: preDNAT, doNotTrack and applyOnForward. */
function checkHostPolicyFlags(spec: Json, ctx: ConvertContext): void {
  const [preDNAT, doNotTrack, forward] = [
    spec['preDNAT'] === true,
    spec['doNotTrack'] === true,
    spec['applyOnForward'] === true,
  ];
  const report = (field: string, why: string) =>
    ctx.report('invalid-field', field, `${why} (globalnetworkpolicy.go)`, spec);
  if (preDNAT && doNotTrack) report('spec.preDNAT', 'preDNAT and doNotTrack cannot both be true');
  if (preDNAT && (arrayAt(spec['egress']) ?? []).length > 0)
    report('spec.egress', 'preDNAT policy cannot have any egress rules');
  if (preDNAT && (arrayAt(spec['types']) ?? []).includes('Egress'))
    report('spec.types', "preDNAT policy cannot have 'Egress' type");
  if ((preDNAT || doNotTrack) && !forward)
    report(
      'spec.applyOnForward',
      'applyOnForward must be true if either preDNAT or doNotTrack is true: set applyOnForward: true',
    );
}

/** validateStaged*NetworkPolicy: stagedAction Delete carries nothing but the tier. */
function checkStagedDelete(spec: Json, ctx: ConvertContext): void {
  if (spec['stagedAction'] !== 'Delete') return;
  const set = Object.entries(spec).filter(
    ([k, v]) =>
      k !== 'tier' &&
      k !== 'stagedAction' &&
      v !== null &&
      v !== undefined &&
      v !== '' &&
      v !== false &&
      !(Array.isArray(v) && v.length === 0),
  );
  if (set.length > 0)
    ctx.report(
      'invalid-field',
      `spec.${set.map(([k]) => k).join(', spec.')}`,
      'Spec fields, except Tier, should all be zero-value if stagedAction is Delete (validator.go validateStagedNetworkPolicy): remove them',
      spec,
    );
}

function checkTierAndHints(spec: Json, ctx: ConvertContext): void {
  const tier = spec['tier'];
  if (
    tier !== undefined &&
    tier !== null &&
    tier !== '' &&
    !(typeof tier === 'string' && tier.length <= 253 && DNS_SUBDOMAIN.test(tier))
  )
    ctx.report(
      'invalid-field',
      'spec.tier',
      `${JSON.stringify(tier)} is not a valid tier name (validator.go \`name\`)`,
      spec,
    );
  const hints = arrayAt(spec['performanceHints']) ?? [];
  for (const [i, h] of hints.entries())
    if (h !== 'AssumeNeededOnEveryNode' || hints.indexOf(h) !== i)
      ctx.report(
        'invalid-field',
        `spec.performanceHints[${i}]`,
        `${JSON.stringify(h)}: performanceHints are unique and AssumeNeededOnEveryNode (networkpolicy.go)`,
        spec,
      );
}

export function checkCalicoPolicySpec(spec: Json, global: boolean, ctx: ConvertContext): void {
  checkGlobalSelectors(spec, global, ctx);
  if (global) {
    checkServiceNamespaces(spec, ctx);
    checkHostPolicyFlags(spec, ctx);
  }
  checkStagedDelete(spec, ctx);
  checkTierAndHints(spec, ctx);
}
