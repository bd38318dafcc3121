/**
 * A second meshdbg process for the journal tests: raises rbac=debug on prod/backend-1 (or, with a
 * third argument `ztunnel`, ztunnel::state=debug on istio-system/ztunnel-aaaaa through ztunnel's
 * admin) through the local API server, prints "raised", then waits to be killed (kill -9: no restore).
 * argv: KUBECONFIG JOURNAL_DIR [ztunnel]
 */
import {
  createNativeProxyControl,
  portForwardRequester,
} from '../../../../src/sources/envoy-admin/native-proxy-control.js';
import { createZtunnelLogControl } from '../../../../src/sources/envoy-admin/ztunnel-log-control.js';
import { createKubeHttp } from '../../../../src/sources/kube/http.js';
import { resolveKubeContext } from '../../../../src/sources/kube/kubeconfig.js';
import { kubeProxyIdentity } from '../../../../src/sources/kube/proxy-identity.js';
import { fileJournal } from '../../../../src/sources/log-level/journal.js';
import { LogLevelManager } from '../../../../src/sources/log-level/manager.js';

const [kubeconfig = '', journalDir = '', kind = 'sidecar'] = process.argv.slice(2);
const kc = resolveKubeContext({ kubeconfig, context: null, env: {}, homeDir: '/nonexistent' }).kc;
const ztunnel = kind === 'ztunnel';
const requester = portForwardRequester(kc);
const manager = new LogLevelManager({
  control: ztunnel
    ? createZtunnelLogControl(requester, { timeoutMs: 5000 })
    : createNativeProxyControl(requester, { timeoutMs: 5000 }),
  journal: fileJournal(journalDir),
  proxyIdentity: kubeProxyIdentity(createKubeHttp(kc, 2000)),
  context: 'mock',
  ttlMs: 600_000,
  readonly: false,
});
const result = await manager.raise(
  [ztunnel ? { namespace: 'istio-system', name: 'ztunnel-aaaaa' } : { namespace: 'prod', name: 'backend-1' }],
  ztunnel ? { 'ztunnel::state': 'debug' } : { rbac: 'debug' },
  () => Promise.resolve(true),
);
process.stdout.write(result.changed.length === 1 ? 'raised\n' : `failed ${JSON.stringify(result.errors)}\n`);
setInterval(() => undefined, 1000);
