/**
 * Test users: the admin (group system:masters) and a user who may only read one namespace,
 * through a Role + RoleBinding (https://kubernetes.io/docs/reference/access-authn-authz/rbac/).
 */
import { join } from 'node:path';
import { makeClientCert } from './certs.js';
import { apiServerUrl, type ControlPlaneState } from './control-plane.js';
import { writeKubeconfig } from './kubeconfig.js';
import { expectOk, type RestClient } from './rest.js';

export function adminKubeconfig(s: ControlPlaneState): string {
  const file = join(s.dir, 'admin.kubeconfig');
  return writeKubeconfig({ file, server: apiServerUrl(s), caFile: s.pki.caFile, user: 'meshdbg-admin', cert: s.admin });
}

/** A user who can get/list/watch everything in `namespace` and nothing else; returns its kubeconfig. */
export async function namespaceReader(s: ControlPlaneState, admin: RestClient, user: string, namespace: string) {
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}`;
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: `${user}-read`, namespace },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${user}-read`, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${user}-read` },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  };
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
  await expectOk(admin.call('POST', '/api/v1/namespaces', ns), `create namespace ${namespace}`, [409]);
  await expectOk(admin.call('POST', `${rbac}/roles`, role), `create Role ${user}-read`, [409]);
  await expectOk(admin.call('POST', `${rbac}/rolebindings`, binding), `create RoleBinding ${user}-read`, [409]);
  const cert = makeClientCert(join(s.dir, 'pki'), s.pki, user, []);
  const file = join(s.dir, `${user}.kubeconfig`);
  return writeKubeconfig({ file, server: apiServerUrl(s), caFile: s.pki.caFile, user, cert, namespace });
}
