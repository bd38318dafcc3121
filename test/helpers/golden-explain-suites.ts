/**
 * The explain goldens (test/fixtures/golden/explain/NAME.txt): each example's expect.yaml, the CLI
 * fixture world and the extra cases, as [name, check file, --from path], answered at NOW.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const GOLDEN = 'test/fixtures/golden/explain';
export const NOW = '2026-01-01T00:00:00Z';
export const GOLDEN_SUITES: [string, string, string][] = [
  ...readdirSync('examples', { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`examples/${d.name}/expect.yaml`))
    .map((d): [string, string, string] => [d.name, `examples/${d.name}/expect.yaml`, `examples/${d.name}`]),
  ['cli', 'test/fixtures/manifests/cli/expect.yaml', 'test/fixtures/manifests/cli/world.yaml'],
  ['extra', `${GOLDEN}/extra/expect.yaml`, dirname(`${GOLDEN}/extra/world.yaml`)],
  [
    'calico-service-accounts',
    `${GOLDEN}/calico-service-accounts/expect.yaml`,
    dirname(`${GOLDEN}/calico-service-accounts/world.yaml`),
  ],
];
