import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { emitYaml } from '../../src/util/yaml-emit.js';

const SAMPLES: unknown[] = [
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow', namespace: 'b' },
    spec: {
      podSelector: { matchLabels: { app: 'web', 'app.kubernetes.io/name': 'x' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } }, podSelector: {} }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ],
    },
  },
  {
    rules: [{ to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/api/*', '*'] } }] }],
    empty: [],
    nothing: null,
  },
  {
    tricky: [
      '@x',
      '-v',
      'true',
      'no',
      '1.5',
      '0x1F',
      'a: b',
      "it's",
      '',
      ' lead',
      '#x',
      'cluster.local/ns/a/sa/b',
      '~',
      '-',
    ],
  },
  [[1, 2], { a: 1 }, 'x'],
];

describe('emitYaml', () => {
  it.each(SAMPLES.map((s, i) => [i, s]))('round-trips sample %i through a YAML parser', (_i, sample) => {
    expect(yaml.load(emitYaml(sample))).toEqual(sample);
  });

  it('writes block style with two-space indents', () => {
    expect(emitYaml({ a: { b: [1, { c: 'd' }] } })).toBe('a:\n  b:\n    - 1\n    - c: d\n');
  });
});
