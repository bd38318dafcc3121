/**
 * Istio's own analyzer tests as fixtures: for each testGrid entry of istio/istio
 * pkg/config/analysis/analyzers/analyzers_test.go that meshdbg implements (AuthorizationPolicies,
 * injection, DestinationRule CA certificates, JWT claim routes, BLOCKED_CIDRS), `meshdbg lint` on
 * the same input files (plus the default ingress gateway the harness adds) reports exactly the
 * expected messages, by IST code and resource. Provenance: test/fixtures/istio-analyzers/README.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintFindings } from '../../../src/commands/lint.js';
import { istCode, type Finding } from '../../../src/model/findings.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';

const DIR = join(import.meta.dirname, '../../fixtures/istio-analyzers');

/** messages.yaml names of the IST codes meshdbg reports */
const MESSAGE: Readonly<Record<string, string>> = {
  IST0101: 'ReferencedResourceNotFound',
  IST0102: 'NamespaceNotInjected',
  IST0103: 'PodMissingProxy',
  IST0123: 'NamespaceMultipleInjectionLabels',
  IST0127: 'NoMatchingWorkloadsFound',
  IST0128: 'NoServerCertificateVerificationDestinationLevel',
  IST0129: 'NoServerCertificateVerificationPortLevel',
  IST0149: 'JwtClaimBasedRoutingWithoutRequestAuthN',
  IST0175: 'JwksUriFetchUnrestricted',
};

/** the codes each of Istio's analyzers can report */
const ANALYZER_CODES: Readonly<Record<string, readonly string[]>> = {
  'injection.Analyzer': ['IST0102', 'IST0103', 'IST0123'],
  'authz.AuthorizationPoliciesAnalyzer': ['IST0127', 'IST0101'],
  'destinationrule.CaCertificateAnalyzer': ['IST0128', 'IST0129'],
  'virtualservice.JWTClaimRouteAnalyzer': ['IST0149'],
  'authn.BlockedCIDRsAnalyzer': ['IST0175'],
};

interface AnalyzerCase {
  readonly name: string;
  readonly analyzer: string;
  readonly inputFiles: readonly string[];
  readonly expected: readonly (readonly [string, string])[];
}

const grid = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as { source: string; cases: AnalyzerCase[] };

/** "Kind ns/name", or "Kind name" when Istio's resource had no namespace: compared by name only. */
function resourceOf(f: Finding, expected: readonly string[]): string {
  const o = f.object;
  const full = `${o?.kind ?? ''} ${o?.namespace ? `${o.namespace}/` : ''}${o?.name ?? ''}`;
  const short = `${o?.kind ?? ''} ${o?.name ?? ''}`;
  return expected.includes(full) ? full : short;
}

function analyze(c: AnalyzerCase): string[] {
  const text = [...c.inputFiles.map((f) => join(DIR, f)), join(DIR, 'istioctl-default-ingress.yaml')]
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n---\n');
  const snapshot = snapshotFromYaml(text, { file: c.inputFiles[0] });
  const codes = ANALYZER_CODES[c.analyzer] ?? [];
  const expected = c.expected.map(([, r]) => r);
  return lintFindings(snapshot, snapshot.findings)
    .filter((f) => codes.includes(istCode(f.code) ?? ''))
    .map((f) => `${MESSAGE[istCode(f.code) ?? ''] ?? '?'} ${resourceOf(f, expected)}`)
    .sort();
}

describe(`Istio's analyzer tests (${grid.source})`, () => {
  it('covers every analyzer meshdbg implements', () => {
    expect(new Set(grid.cases.map((c) => c.analyzer))).toEqual(new Set(Object.keys(ANALYZER_CODES)));
  });

  it.each(grid.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(analyze(c)).toEqual(c.expected.map(([m, r]) => `${m} ${r}`).sort());
  });
});
