/**
 * Certificates for a test control plane, made with the openssl command (Debian's openssl):
 * a CA, the apiserver's serving certificate, client certificates (the CN is the user name,
 * each O a group, as kube-apiserver's x509 authenticator reads them:
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates)
 * and the service-account signing key pair.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClientCert {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface Pki {
  readonly caFile: string;
  readonly caKeyFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly saPublicFile: string;
  readonly saPrivateFile: string;
}

function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(file: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

function sign(dir: string, name: string, subject: string, extensions: string, pki: Pick<Pki, 'caFile' | 'caKeyFile'>) {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  const cert = join(dir, `${name}.crt`);
  newKey(key);
  openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
  writeFileSync(ext, extensions);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    pki.caFile,
    '-CAkey',
    pki.caKeyFile,
    '-CAcreateserial',
    '-days',
    '3650',
    '-extfile',
    ext,
    '-out',
    cert,
  ]);
  return { certFile: cert, keyFile: key };
}

export function makePki(dir: string): Pki {
  const caKeyFile = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.crt');
  newKey(caKeyFile);
  openssl(['req', '-x509', '-new', '-key', caKeyFile, '-subj', '/CN=meshdbg-test-ca', '-days', '3650', '-out', caFile]);
  const ca = { caFile, caKeyFile };
  const server = sign(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
      '',
    ].join('\n'),
    ca,
  );
  const saPrivateFile = join(dir, 'sa.key');
  const saPublicFile = join(dir, 'sa.pub');
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', saPrivateFile]);
  openssl(['pkey', '-in', saPrivateFile, '-pubout', '-out', saPublicFile]);
  return { ...ca, serverCertFile: server.certFile, serverKeyFile: server.keyFile, saPublicFile, saPrivateFile };
}

/** A client certificate for `user` in `groups` (system:masters is cluster-admin without RBAC). */
export function makeClientCert(dir: string, pki: Pki, user: string, groups: readonly string[]): ClientCert {
  const subject = `${groups.map((g) => `/O=${g}`).join('')}/CN=${user}`;
  const ext = 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n';
  return sign(dir, `user-${user}`, subject, ext, pki);
}

export function base64File(file: string): string {
  return readFileSync(file).toString('base64');
}
