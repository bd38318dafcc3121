/**
 * A real etcd + kube-apiserver on 127.0.0.1, each a detached process with its own log,
 * described by `state.json` in its folder so another process can stop or restart it.
 * Flags follow the kube-apiserver reference
 * (https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeClientCert, makePki, type ClientCert, type Pki } from './certs.js';
import { freePorts, startDetached, stopByPidFile, waitUntil } from './processes.js';
import { restClient, type RestClient } from './rest.js';

export interface ControlPlaneState {
  readonly dir: string;
  readonly binDir: string;
  readonly etcdPort: number;
  readonly etcdPeerPort: number;
  readonly apiPort: number;
  readonly pki: Pki;
  readonly admin: ClientCert;
  /** more kube-apiserver flags (e.g. --watch-cache=false so lists are served by etcd) */
  readonly extraApiServerArgs?: readonly string[];
}

export const etcdUrl = (s: ControlPlaneState) => `http://127.0.0.1:${s.etcdPort}`;
export const apiServerUrl = (s: ControlPlaneState) => `https://127.0.0.1:${s.apiPort}`;
export const auditLogFile = (s: ControlPlaneState) => join(s.dir, 'audit.log');
export const adminClient = (s: ControlPlaneState): RestClient => restClient(apiServerUrl(s), s.pki.caFile, s.admin);

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: Metadata
`;

export async function createControlPlane(
  dir: string,
  binDir: string,
  extraApiServerArgs: readonly string[] = [],
): Promise<ControlPlaneState> {
  mkdirSync(join(dir, 'pki'), { recursive: true });
  const pki = makePki(join(dir, 'pki'));
  const admin = makeClientCert(join(dir, 'pki'), pki, 'meshdbg-admin', ['system:masters']);
  writeFileSync(join(dir, 'audit-policy.yaml'), AUDIT_POLICY);
  // a port picked free can still be taken before etcd binds it: then etcd exits at once, and a
  // second pick is the fix (three tries)
  for (let attempt = 1; ; attempt++) {
    const [etcdPort, etcdPeerPort, apiPort] = (await freePorts(3)) as [number, number, number];
    const state: ControlPlaneState = { dir, binDir, etcdPort, etcdPeerPort, apiPort, pki, admin, extraApiServerArgs };
    writeFileSync(join(dir, 'state.json'), JSON.stringify(state, null, 2));
    try {
      await startEtcd(state);
    } catch (err) {
      if (attempt < 3 && /address already in use/.test(String(err))) {
        rmSync(join(dir, 'etcd-data'), { recursive: true, force: true });
        continue;
      }
      throw err;
    }
    await startApiServer(state);
    return state;
  }
}

export function loadControlPlane(dir: string): ControlPlaneState {
  return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ControlPlaneState;
}

export async function startEtcd(s: ControlPlaneState): Promise<void> {
  const peer = `http://127.0.0.1:${s.etcdPeerPort}`;
  const args = [
    '--name=default',
    `--data-dir=${join(s.dir, 'etcd-data')}`,
    `--listen-client-urls=${etcdUrl(s)}`,
    `--advertise-client-urls=${etcdUrl(s)}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=default=${peer}`,
    '--log-level=warn',
  ];
  const log = join(s.dir, 'etcd.log');
  const pid = startDetached(join(s.binDir, 'etcd'), args, log, join(s.dir, 'etcd.pid'));
  await waitUntil('etcd', pid, async () => (await fetch(`${etcdUrl(s)}/health`)).ok, 60_000, log);
}

export async function startApiServer(s: ControlPlaneState): Promise<void> {
  const args = [
    `--etcd-servers=${etcdUrl(s)}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${s.apiPort}`,
    `--cert-dir=${join(s.dir, 'pki')}`,
    `--tls-cert-file=${s.pki.serverCertFile}`,
    `--tls-private-key-file=${s.pki.serverKeyFile}`,
    `--client-ca-file=${s.pki.caFile}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc',
    `--service-account-key-file=${s.pki.saPublicFile}`,
    `--service-account-signing-key-file=${s.pki.saPrivateFile}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    // the reconciler refuses a loopback advertise address; nothing here reads the endpoints
    '--endpoint-reconciler-type=none',
    // no controller-manager creates each namespace's default ServiceAccount
    '--disable-admission-plugins=ServiceAccount',
    // compaction happens only when a test asks etcd for it
    '--etcd-compaction-interval=0',
    `--audit-policy-file=${join(s.dir, 'audit-policy.yaml')}`,
    `--audit-log-path=${auditLogFile(s)}`,
    '--audit-log-mode=blocking',
    '--profiling=false',
    '--v=1',
    ...(s.extraApiServerArgs ?? []),
  ];
  const log = join(s.dir, 'apiserver.log');
  const pid = startDetached(join(s.binDir, 'kube-apiserver'), args, log, join(s.dir, 'apiserver.pid'));
  const admin = adminClient(s);
  await waitUntil('kube-apiserver', pid, async () => (await admin.call('GET', '/readyz')).status === 200, 180_000, log);
}

export const stopApiServer = (s: ControlPlaneState) => stopByPidFile(join(s.dir, 'apiserver.pid'));
export const stopEtcd = (s: ControlPlaneState) => stopByPidFile(join(s.dir, 'etcd.pid'));

export async function stopControlPlane(s: ControlPlaneState): Promise<void> {
  await stopApiServer(s);
  await stopEtcd(s);
}
