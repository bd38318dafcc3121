import { describe, expect, it } from 'vitest';
import { ConvertContext, recordAt } from '../../../src/model/convert/context.js';
import { convertCalicoRule } from '../../../src/model/convert/calico-rule.js';
import type { Finding } from '../../../src/model/findings.js';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';

/** One GlobalNetworkPolicy in gnp.yaml; returns its first rule of `direction` converted, and findings. */
function convert(ruleYaml: string, direction: 'ingress' | 'egress' = 'ingress') {
  const text = [
    'apiVersion: projectcalico.org/v3',
    'kind: GlobalNetworkPolicy',
    'metadata: {name: p}',
    'spec:',
    `  ${direction}:`,
    ...ruleYaml.split('\n').map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)),
  ].join('\n');
  const parsed = parseManifestText('gnp.yaml', text);
  const raw = parsed.objects[0];
  if (!raw) throw new Error('no object');
  const sink: Finding[] = [];
  const ctx = new ConvertContext(raw, { kind: 'GlobalNetworkPolicy', namespace: null, name: 'p' }, sink);
  const rules = recordAt(raw.object['spec'])?.[direction] as unknown[];
  const rule = convertCalicoRule(rules[0], `spec.${direction}[0]`, direction, ctx);
  return { rule, findings: sink };
}

describe('Calico rules are typed as projectcalico.org/v3 policy_common.go defines them', () => {
  it('reads ports (number, range a:b, named), protocols by name and by number, ICMP', () => {
    const { rule, findings } = convert(
      [
        'action: Allow',
        'protocol: TCP',
        "destination: {ports: [80, '8000:8080', http-alt], notPorts: [8081], nets: [10.0.0.0/8], notNets: [10.1.0.0/16]}",
        "source: {selector: app == 'web', namespaceSelector: projectcalico.org/name == 'shop', serviceAccounts: {names: [web]}}",
      ].join('\n'),
    );
    expect(findings).toEqual([]);
    expect(rule?.protocol).toBe('TCP');
    expect(rule?.destination.ports).toEqual([{ min: 80, max: 80 }, { min: 8000, max: 8080 }, { name: 'http-alt' }]);
    expect(rule?.destination.notPorts).toEqual([{ min: 8081, max: 8081 }]);
    expect(rule?.destination.nets).toEqual(['10.0.0.0/8']);
    expect(rule?.source.serviceAccountNames).toEqual(['web']);
    expect(rule?.source.selector).toEqual({ op: 'eq', label: 'app', value: 'web' });
  });
  it('protocol numbers and ICMP type/code', () => {
    const { rule, findings } = convert('action: Allow\nprotocol: 1\nicmp: {type: 8, code: 0}');
    expect(findings).toEqual([]);
    expect(rule?.protocol).toBe(1);
    expect(rule?.icmp).toEqual({ type: 8, code: 0 });
  });
});

describe('Calico rules are rejected where Calico rejects them, with file, line and field', () => {
  const only = (yaml: string, direction: 'ingress' | 'egress' = 'ingress'): Finding => {
    const { findings } = convert(yaml, direction);
    expect(findings).toHaveLength(1);
    return findings[0] as Finding;
  };
  it('an unknown action', () => {
    const f = only('action: Drop');
    expect(f.field).toBe('spec.ingress[0].action');
    expect(f.message).toContain('gnp.yaml:6');
  });
  it('a selector syntax error names its column', () => {
    const f = only('action: Allow\nsource: {selector: app = "web"}');
    expect(f.code).toBe('invalid-selector');
    expect(f.field).toBe('spec.ingress[0].source.selector');
    expect(f.message).toContain('column 5');
  });
  it('port numbers without a protocol (validator.go validateRule)', () => {
    expect(only('action: Allow\ndestination: {ports: [80]}').field).toBe('spec.ingress[0].destination.ports');
  });
  it('named ports without a protocol are accepted (numorstring.AllPortsAreNamed)', () => {
    expect(convert('action: Allow\ndestination: {ports: [http]}').findings).toEqual([]);
  });
  it('ports with a protocol that has none (ICMP)', () => {
    expect(only('action: Allow\nprotocol: ICMP\ndestination: {ports: [80]}').message).toContain(
      'protocol ICMP has no ports',
    );
  });
  it('a reversed port range', () => {
    expect(only("action: Allow\nprotocol: TCP\ndestination: {ports: ['90:80']}").field).toBe(
      'spec.ingress[0].destination.ports[0]',
    );
  });
  it('an unknown protocol', () => {
    expect(only('action: Allow\nprotocol: QUIC').code).toBe('invalid-protocol');
  });
  it('http match rules on egress (validator.go validateNetworkPolicySpec)', () => {
    expect(only('action: Allow\nhttp: {methods: [GET]}', 'egress').field).toBe('spec.egress[0].http');
  });
  it('ICMP type above 254 (policy_common.go ICMPFields)', () => {
    expect(only('action: Allow\nprotocol: ICMP\nicmp: {type: 255}').field).toBe('spec.ingress[0].icmp.type');
  });
  it('a net that is not a network', () => {
    expect(only('action: Deny\ndestination: {nets: [10.0.0.0/33]}').code).toBe('invalid-cidr');
  });
});
