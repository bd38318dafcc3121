/**
 * istio/istio's own tables for which policies apply to a workload, as data with provenance:
 * test/fixtures/istio-authz/policy-attachment-cases.json (pilot/pkg/model/authorization_test.go
 * TestAuthorizationPolicies_ListAuthorizationPolicies, pilot/pkg/model/policyattachment_test.go
 * TestPolicyMatcher) and test/fixtures/istio-authz/authn-attachment-cases.json
 * (pilot/pkg/model/authentication_test.go TestGetPoliciesForWorkload*), each at the commit its
 * `provenance` names. Each case becomes manifests (a Pod with the table's labels; a waypoint
 * Gateway; a Service) and is asked of the functions explain uses: the sidecar's
 * authzPoliciesFor / requestAuthenticationsFor, the waypoint's waypointAuthzPolicies /
 * waypointRequestAuthentications, and the PeerAuthentication levels and namespace mode.
 * The fixtures' `about` and `skipped` say how each table maps and what is left out, and why.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import type { Waypoint } from '../../../src/model/ambient.js';
import { authzPoliciesFor, requestAuthenticationsFor } from '../../../src/engine/istio/policy-index.js';
import { peerAuthnLevels, serverMode } from '../../../src/engine/istio/peer-authn.js';
import { waypointAuthzPolicies, waypointRequestAuthentications } from '../../../src/engine/ambient/binding.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';

const GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';

interface Provenance {
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly test: string;
}
interface Workload {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly waypoint?: boolean;
  readonly service?: { readonly name: string; readonly namespace: string };
}
interface PolicyRef {
  readonly kind?: string;
  readonly name: string;
  readonly namespace: string;
  readonly creationTimestamp?: string;
  readonly spec: string | Record<string, unknown>;
}
type Action = 'CUSTOM' | 'DENY' | 'ALLOW' | 'AUDIT';
interface AttachmentSuite {
  readonly provenance: Provenance;
  readonly rootNamespace: string;
  readonly specs: Record<string, Record<string, unknown>>;
  readonly workloads?: Record<string, Workload>;
  readonly cases: readonly {
    readonly name: string;
    readonly workload: Workload | string;
    readonly policies?: readonly PolicyRef[];
    readonly policy?: PolicyRef;
    readonly expect: Partial<Record<Action, readonly string[]>> & { readonly attached?: boolean };
  }[];
}
interface AuthnSuite {
  readonly provenance: Provenance;
  readonly rootNamespace: string;
  readonly policies: readonly (PolicyRef & { readonly kind: string })[];
  readonly cases: readonly {
    readonly name: string;
    readonly workload: Workload;
    readonly expect: {
      readonly requestAuthentications?: readonly string[];
      readonly peerAuthentications?: readonly string[];
      readonly namespaceMutualTLS?: string;
    };
  }[];
}

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../fixtures/istio-authz/${name}`, import.meta.url), 'utf8')) as T;

const attachment = fixture<{ suites: readonly AttachmentSuite[] }>('policy-attachment-cases.json');
const authn = fixture<{ suites: readonly AuthnSuite[] }>('authn-attachment-cases.json');

const doc = (o: Record<string, unknown>): string => `---\n${JSON.stringify(o)}\n`;

function policyDoc(kind: string, p: PolicyRef, specs: Record<string, Record<string, unknown>> = {}): string {
  const spec = typeof p.spec === 'string' ? specs[p.spec] : p.spec;
  if (spec === undefined) throw new Error(`fixture names an unknown spec ${String(p.spec)}`);
  const metadata = {
    name: p.name,
    namespace: p.namespace,
    ...(p.creationTimestamp ? { creationTimestamp: p.creationTimestamp } : {}),
  };
  return doc({ apiVersion: 'security.istio.io/v1', kind, metadata, spec });
}

/** The table's WorkloadPolicyMatcher as manifests: its pod, the waypoint Gateway and the Service. */
function workloadDocs(w: Workload, root: string): string {
  const mesh = doc({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'istio', namespace: 'istio-system' },
    data: { mesh: `rootNamespace: ${root}` },
  });
  const pod = doc({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'workload', namespace: w.namespace, labels: w.labels },
    spec: { containers: [{ name: 'app' }] },
  });
  const gateway = w.waypoint
    ? doc({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: w.labels[GATEWAY_NAME], namespace: w.namespace },
        spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      })
    : '';
  const service = w.service
    ? doc({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: w.service.name, namespace: w.service.namespace },
        spec: { selector: { app: w.service.name }, ports: [{ name: 'http', port: 80 }] },
      })
    : '';
  return mesh + pod + gateway + service;
}

interface World {
  readonly snapshot: Snapshot;
  readonly pod: Pod;
  readonly waypoint: Waypoint | null;
  readonly service: Service | null;
}

function world(w: Workload, root: string, policies: string): World {
  const snapshot = snapshotFromYaml(workloadDocs(w, root) + policies);
  const errors = snapshot.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`);
  expect(errors, 'the manifests are valid').toEqual([]);
  expect(snapshot.istio.mesh.rootNamespace).toBe(root);
  const pod = snapshot.pods.find((p) => p.name === 'workload');
  if (!pod) throw new Error('the workload pod is missing');
  const waypoint = w.waypoint
    ? (snapshot.waypoints ?? []).find((x) => x.namespace === w.namespace && x.name === w.labels[GATEWAY_NAME])
    : null;
  if (waypoint === undefined) throw new Error('the waypoint is missing');
  const service = w.service
    ? snapshot.services.find((s) => s.name === w.service?.name && s.namespace === w.service.namespace)
    : null;
  if (service === undefined) throw new Error('the Service is missing');
  return { snapshot, pod, waypoint, service };
}

const ids = (list: readonly { namespace: string; name: string }[]): string[] =>
  list.map((p) => `${p.namespace}/${p.name}`).sort();

/** What enforces the workload's policies: its sidecar (or gateway) or, for a waypoint, the waypoint for the Service. */
function authzOf(x: World) {
  return x.waypoint ? waypointAuthzPolicies(x.snapshot, x.waypoint, x.service) : authzPoliciesFor(x.snapshot, x.pod);
}
function requestAuthnOf(x: World) {
  return x.waypoint
    ? waypointRequestAuthentications(x.snapshot, x.waypoint, x.service)
    : requestAuthenticationsFor(x.snapshot, x.pod);
}

const ACTIONS: readonly Action[] = ['CUSTOM', 'DENY', 'ALLOW', 'AUDIT'];

for (const suite of attachment.suites) {
  const { repo, path, commit, test } = suite.provenance;
  describe(`${test} (${repo}:${path}@${commit.slice(0, 12)})`, () => {
    it.each(suite.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const w = typeof c.workload === 'string' ? suite.workloads?.[c.workload] : c.workload;
      if (!w) throw new Error(`fixture names an unknown workload ${String(c.workload)}`);
      if (c.policy) {
        // one policy, asked as an AuthorizationPolicy and as a RequestAuthentication (one shared matcher)
        for (const kind of ['AuthorizationPolicy', 'RequestAuthentication'] as const) {
          const x = world(w, suite.rootNamespace, policyDoc(kind, c.policy, suite.specs));
          const found = kind === 'AuthorizationPolicy' ? authzOf(x) : requestAuthnOf(x);
          expect(found.length > 0, `${kind} attached`).toBe(c.expect.attached);
        }
        return;
      }
      const x = world(
        w,
        suite.rootNamespace,
        (c.policies ?? []).map((p) => policyDoc('AuthorizationPolicy', p, suite.specs)).join(''),
      );
      const found = authzOf(x);
      for (const action of ACTIONS)
        expect(ids(found.filter((p) => p.action === action)), action).toEqual([...(c.expect[action] ?? [])].sort());
    });
  });
}

for (const suite of authn.suites) {
  const { repo, path, commit, test } = suite.provenance;
  const policies = suite.policies.map((p) => policyDoc(p.kind, p)).join('');
  describe(`${test} (${repo}:${path}@${commit.slice(0, 12)})`, () => {
    it.each(suite.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const x = world(c.workload, suite.rootNamespace, policies);
      const want = c.expect;
      if (want.requestAuthentications)
        expect(ids(requestAuthnOf(x)), 'RequestAuthentications').toEqual([...want.requestAuthentications].sort());
      if (want.peerAuthentications) {
        const levels = peerAuthnLevels(x.snapshot, x.pod);
        const kept = [levels.workload, levels.namespace, levels.mesh].filter((p) => p !== null);
        expect(ids(kept), 'PeerAuthentications').toEqual([...want.peerAuthentications].sort());
      }
      if (want.namespaceMutualTLS) {
        // UNKNOWN: BestEffortInferServiceMTLSMode falls back to PERMISSIVE (pilot/pkg/model/push_context.go)
        const mode = want.namespaceMutualTLS === 'UNKNOWN' ? 'PERMISSIVE' : want.namespaceMutualTLS;
        expect(serverMode(x.snapshot, x.pod, null).namespaceMode, 'namespace mTLS mode').toBe(mode);
      }
    });
  });
}
