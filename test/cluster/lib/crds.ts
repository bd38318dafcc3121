/**
 * The owners' CustomResourceDefinitions, read from the Go module cache at the versions
 * test/cluster/crds/go.mod pins (`go mod download` fetches a missing module and checks it
 * against go.sum), then created and waited for until Established.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifests, type Manifest } from './apply.js';
import { expectOk, type RestClient } from './rest.js';
import { sleep } from './processes.js';

const CRD_MODULE_DIR = fileURLToPath(new URL('../crds', import.meta.url));

/** Module -> the files or folders in it that hold the CRDs meshdbg reads. */
export const CRD_SOURCES: Readonly<Record<string, readonly string[]>> = {
  'istio.io/api': ['kubernetes/customresourcedefinitions.gen.yaml'],
  'sigs.k8s.io/network-policy-api': [
    'config/crd/policy.networking.k8s.io_adminnetworkpolicies.yaml',
    'config/crd/policy.networking.k8s.io_baselineadminnetworkpolicies.yaml',
  ],
  'sigs.k8s.io/gateway-api': ['config/crd/standard'],
  'github.com/projectcalico/calico': ['libcalico-go/config/crd'],
};

export function moduleDir(module: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', module], { cwd: CRD_MODULE_DIR, encoding: 'utf8' });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? 'no directory'}`);
  return info.Dir;
}

export function ownersCrds(): Manifest[] {
  return Object.entries(CRD_SOURCES).flatMap(([module, paths]) => {
    const dir = moduleDir(module);
    return paths.flatMap((p) => readManifests(join(dir, p))).filter((m) => m.kind === 'CustomResourceDefinition');
  });
}

function established(crd: Record<string, unknown>): boolean {
  const conditions = ((crd['status'] as Record<string, unknown> | undefined)?.['conditions'] ?? []) as {
    type: string;
    status: string;
  }[];
  return conditions.some((c) => c.type === 'Established' && c.status === 'True');
}

/** Creates (server-side apply) every CRD and waits until each is Established. */
export async function installCrds(client: RestClient, crds: readonly Manifest[] = ownersCrds()): Promise<string[]> {
  const base = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const names = crds.map((c) => String(c.metadata['name']));
  for (const crd of crds) {
    const path = `${base}/${String(crd.metadata['name'])}?fieldManager=meshdbg-test&force=true`;
    await expectOk(
      client.call('PATCH', path, crd, 'application/apply-patch+yaml'),
      `install CRD ${String(crd.metadata['name'])}`,
    );
  }
  for (const name of names) {
    for (let i = 0; ; i++) {
      const crd = (await expectOk(client.call('GET', `${base}/${name}`), `read CRD ${name}`)).json();
      if (established(crd)) break;
      if (i > 300) throw new Error(`CRD ${name} not Established after 60 s`);
      await sleep(200);
    }
  }
  return names;
}
