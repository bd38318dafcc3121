/**
 * istio/istio's own table for the mode a workload's PeerAuthentications give it:
 * pilot/pkg/security/authn/policy_applier_test.go TestComposePeerAuthentication (commit
 * ISTIO_COMMIT; Apache-2.0). Each case hands ComposePeerAuthentication the policies that apply to
 * one workload; here they are applied to the pod my-ns/foo (labels app=foo, stage=prod, so every
 * selector of the table selects it), with the table's `root-namespace` as the mesh's root namespace
 * (istio-system, where snapshotOf puts the mesh). Timestamps keep the table's order: `now` and
 * `now - 1s` (the two `-1s` policies tie, and the first listed wins, which is also the first by name).
 * Asserted: the workload mode (serverMode with no port) and, for "port level", each port's mode.
 */
import { describe, expect, it } from 'vitest';
import { serverMode } from '../../../src/engine/istio/peer-authn.js';
import { pod, snapshotOf } from './helpers.js';
import { ISTIO_COMMIT } from './echo-world.js';

const ROOT = 'istio-system';
const NOW = '2026-01-01T00:00:01Z';
const SECOND_AGO = '2026-01-01T00:00:00Z';

interface Pa {
  readonly name: string;
  readonly ns: 'root' | 'my-ns';
  readonly spec: string;
  readonly created?: string;
}

const yamlOf = (p: Pa): string =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${p.name}, namespace: ${p.ns === 'root' ? ROOT : 'my-ns'}${p.created ? `, creationTimestamp: "${p.created}"` : ''}}\nspec: ${p.spec}\n---\n`;

const workload = pod('my-ns', 'foo', { labels: { app: 'foo', stage: 'prod' }, ports: [80, 90, 100, 8080] });

const CASES: readonly [string, readonly Pa[], string, Record<number, string>?][] = [
  ['no config', [], 'PERMISSIVE'],
  ['mesh only', [{ name: 'default', ns: 'root', spec: '{mtls: {mode: STRICT}}' }], 'STRICT'],
  [
    'mesh vs namespace',
    [
      { name: 'default', ns: 'root', spec: '{selector: {matchLabels: {}}, mtls: {mode: STRICT}}' },
      { name: 'default', ns: 'my-ns', spec: '{mtls: {mode: PERMISSIVE}}' },
    ],
    'PERMISSIVE',
  ],
  [
    'ignore non-emptypb selector in root namespace',
    [{ name: 'default', ns: 'root', spec: '{selector: {matchLabels: {app: foo}}, mtls: {mode: STRICT}}' }],
    'PERMISSIVE',
  ],
  [
    'workload vs namespace config',
    [
      { name: 'default', ns: 'my-ns', spec: '{}' },
      { name: 'foo', ns: 'my-ns', spec: '{selector: {matchLabels: {app: foo}}}' },
    ],
    'PERMISSIVE',
  ],
  [
    'workload vs mesh config',
    [
      { name: 'default', ns: 'my-ns', spec: '{mtls: {mode: PERMISSIVE}}' },
      { name: 'default', ns: 'root', spec: '{mtls: {mode: DISABLE}}' },
    ],
    'PERMISSIVE',
  ],
  [
    'multiple mesh policy',
    [
      { name: 'now', ns: 'root', spec: '{mtls: {mode: DISABLE}}', created: NOW },
      { name: 'second-ago', ns: 'root', spec: '{mtls: {mode: PERMISSIVE}}', created: SECOND_AGO },
      { name: 'second-later', ns: 'root', spec: '{mtls: {mode: STRICT}}', created: SECOND_AGO },
    ],
    'PERMISSIVE',
  ],
  [
    'multiple namespace policy',
    [
      { name: 'now', ns: 'my-ns', spec: '{mtls: {mode: DISABLE}}', created: NOW },
      { name: 'second-ago', ns: 'my-ns', spec: '{mtls: {mode: PERMISSIVE}}', created: SECOND_AGO },
      { name: 'second-later', ns: 'my-ns', spec: '{mtls: {mode: STRICT}}', created: SECOND_AGO },
    ],
    'PERMISSIVE',
  ],
  [
    'multiple workload policy',
    [
      { name: 'now', ns: 'my-ns', spec: '{selector: {matchLabels: {app: foo}}, mtls: {mode: DISABLE}}', created: NOW },
      {
        name: 'second-ago',
        ns: 'my-ns',
        spec: '{selector: {matchLabels: {app: foo}}, mtls: {mode: PERMISSIVE}}',
        created: SECOND_AGO,
      },
      {
        name: 'second-later',
        ns: 'my-ns',
        spec: '{selector: {matchLabels: {stage: prod}}, mtls: {mode: STRICT}}',
        created: SECOND_AGO,
      },
    ],
    'PERMISSIVE',
  ],
  ['inheritance: default mesh', [{ name: 'default', ns: 'root', spec: '{mtls: {mode: UNSET}}' }], 'PERMISSIVE'],
  [
    'inheritance: mesh to workload',
    [
      { name: 'default', ns: 'root', spec: '{mtls: {mode: STRICT}}' },
      { name: 'foo', ns: 'my-ns', spec: '{selector: {matchLabels: {app: foo}}}' },
    ],
    'STRICT',
  ],
  [
    'inheritance: namespace to workload',
    [
      { name: 'default', ns: 'my-ns', spec: '{mtls: {mode: STRICT}}' },
      { name: 'foo', ns: 'my-ns', spec: '{selector: {matchLabels: {app: foo}}}' },
    ],
    'STRICT',
  ],
  [
    'inheritance: mesh to namespace to workload',
    [
      { name: 'default', ns: 'root', spec: '{mtls: {mode: STRICT}}' },
      { name: 'default', ns: 'my-ns', spec: '{mtls: {mode: UNSET}}' },
      { name: 'foo', ns: 'my-ns', spec: '{selector: {matchLabels: {app: foo}}}' },
    ],
    'STRICT',
  ],
  [
    'port level',
    [
      { name: 'default', ns: 'root', spec: '{mtls: {mode: STRICT}}' },
      {
        name: 'foo',
        ns: 'my-ns',
        spec: '{selector: {matchLabels: {app: foo}}, portLevelMtls: {80: {mode: DISABLE}, 90: {mode: UNSET}, 100: {}}}',
      },
    ],
    'STRICT',
    { 80: 'DISABLE', 90: 'STRICT', 100: 'STRICT', 8080: 'STRICT' },
  ],
];

describe(`TestComposePeerAuthentication (istio/istio@${ISTIO_COMMIT.slice(0, 12)})`, () => {
  it.each(CASES)('%s', (_name, policies, mode, perPort) => {
    const snap = snapshotOf({ pods: [workload], istio: policies.map(yamlOf).join('') });
    expect(snap.istio.mesh.rootNamespace).toBe(ROOT);
    expect(serverMode(snap, workload, null).mode).toBe(mode);
    for (const [port, want] of Object.entries(perPort ?? {}))
      expect(serverMode(snap, workload, Number(port)).mode, `port ${port}`).toBe(want);
  });
});
