/** kubeconfig files for the test control plane's users (certificates embedded). */
import { writeFileSync } from 'node:fs';
import { dump } from 'js-yaml';
import { base64File, type ClientCert } from './certs.js';

export interface KubeconfigInput {
  readonly file: string;
  readonly server: string;
  readonly caFile: string;
  readonly user: string;
  readonly cert: ClientCert;
  readonly namespace?: string;
}

export function writeKubeconfig(input: KubeconfigInput): string {
  const context = {
    cluster: 'meshdbg-test',
    user: input.user,
    ...(input.namespace ? { namespace: input.namespace } : {}),
  };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'meshdbg-test',
        cluster: { server: input.server, 'certificate-authority-data': base64File(input.caFile) },
      },
    ],
    users: [
      {
        name: input.user,
        user: {
          'client-certificate-data': base64File(input.cert.certFile),
          'client-key-data': base64File(input.cert.keyFile),
        },
      },
    ],
    contexts: [{ name: `meshdbg-test-${input.user}`, context }],
    'current-context': `meshdbg-test-${input.user}`,
  };
  writeFileSync(input.file, dump(config), { mode: 0o600 });
  return input.file;
}
