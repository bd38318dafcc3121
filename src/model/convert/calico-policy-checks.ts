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
