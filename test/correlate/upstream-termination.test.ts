/**
 * A client-side `503 UC upstream_reset_before_response_started{connection_termination}` has two
 * documented causes: an mTLS mismatch, and "an authorization policy with HTTP only fields applied
 * to TCP traffic" (istio/istio.io content/en/docs/ops/common-problems/security-issues/index.md),
 * whose network RBAC filter closes the connection. The lines are the real pair of
 * istio/istio#40584 (test/fixtures/logs/real/istio-gateway-uc-tcp-rbac.log): an ingress gateway's
 * access log, then the destination sidecar's TCP line naming the DENY policy of the issue.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { snapshotFromObjects } from '../../src/commands/load-snapshot.js';
import { correlate } from '../../src/correlate/correlator.js';
import { createLogParser } from '../../src/parsers/log-parser.js';
import type { LogEvent } from '../../src/parsers/log-event.js';
import type { RawObject } from '../../src/model/raw.js';

const [gatewayLine, serverLine] = readFileSync(
  new URL('../fixtures/logs/real/istio-gateway-uc-tcp-rbac.log', import.meta.url),
  'utf8',
).split('\n') as [string, string];

function events(lines: readonly string[]): LogEvent[] {
  const parser = createLogParser();
  return [...lines.flatMap((l) => parser.push(l)), ...parser.end()];
}

const raw = (object: Record<string, unknown>): RawObject => ({ object, loc: null, lines: null });

function pod(name: string, namespace: string, ip: string, labels: Record<string, string>): RawObject {
  return raw({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'app', ports: [{ containerPort: 12417 }] }, { name: 'istio-proxy' }] },
    status: { podIP: ip, phase: 'Running' },
  });
}

/** The DENY policy, as it shows it (spec verbatim). */
const denyPolicy = raw({
  apiVersion: 'security.istio.io/v1beta1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'ts-776dd07e', namespace: 'dev' },
  spec: {
    action: 'DENY',
    rules: [{ to: [{ operation: { methods: ['GET', 'POST'], paths: ['/hello', '/hello2'] } }] }],
    selector: { matchLabels: { serviceName: 'ts' } },
  },
});

/**
 * The gateway and `ts` at the addresses; the Service port is declared TCP (the server line
 * is a TCP proxy line), which the issue does not show: `tcp-` is one way to get there
 * (https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/).
 */
function cluster(withPolicy: boolean) {
  return snapshotFromObjects(
    [
      raw({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', labels: { 'istio-injection': 'enabled' } } }),
      pod('istio-ingressgateway-1', 'istio-system', '10.24.87.246', {
        app: 'istio-ingressgateway',
        istio: 'ingressgateway',
      }),
      pod('ts-1', 'dev', '10.24.86.181', { serviceName: 'ts' }),
      raw({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'ts', namespace: 'dev' },
        spec: { selector: { serviceName: 'ts' }, ports: [{ name: 'tcp-ts', port: 12417, targetPort: 12417 }] },
      }),
      ...(withPolicy ? [denyPolicy] : []),
    ],
    null,
    'test',
  );
}

describe('503 UC connection_termination (istio/istio#40584)', () => {
  it('names the DENY policy that closes TCP connections at the destination, and the gateway as the source', () => {
    const [d] = correlate(events([gatewayLine]), cluster(true));
    expect(d).toMatchObject({
      cause: 'upstream-failure',
      layer: 'authz-deny',
      policy: { kind: 'AuthorizationPolicy', namespace: 'dev', name: 'ts-776dd07e' },
      // the upstream connection's local address is the gateway's: the end user 172.24.128.101 is its caller
      source: { namespace: 'istio-system', name: 'istio-ingressgateway-1', resolvedBy: 'ip' },
      destination: { namespace: 'dev', name: 'ts-1' },
      request: { status: 503, port: 12417 },
    });
    expect(d?.reason).toMatch(
      /^503 UC: connection terminated by the upstream: consistent with an mTLS mismatch .* or an authorization policy applied to TCP traffic at the destination .*; consistent with AuthorizationPolicy dev\/ts-776dd07e \(authz-deny\)$/,
    );
  });

  it('says both mTLS and authorization allow the pair when nothing in the input denies it', () => {
    const [d] = correlate(events([gatewayLine]), cluster(false));
    expect(d).toMatchObject({ layer: null, policy: null });
    expect(d?.reason).toContain('the mTLS settings and authorization policies in the input allow this pair');
  });

  it('the destination line names the rule exactly, from the gateway', () => {
    const [d] = correlate(events([serverLine]), cluster(true));
    expect(d).toMatchObject({
      cause: 'rbac',
      layer: 'authz-deny',
      ruleRef: 'ns[dev]-policy[ts-776dd07e]-rule[0]',
      attribution: 'exact',
      source: { namespace: 'istio-system', name: 'istio-ingressgateway-1' },
      request: { protocol: 'TCP', port: 12417 },
    });
  });
});
