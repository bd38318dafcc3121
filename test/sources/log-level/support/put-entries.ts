/** Writes COUNT journal entries (pods PREFIX-0..) into JOURNAL_DIR, as a second process would. argv: JOURNAL_DIR PREFIX COUNT */
import { fileJournal } from '../../../../src/sources/log-level/journal.js';

const [dir = '', prefix = 'p', count = '0'] = process.argv.slice(2);
const journal = fileJournal(dir);
for (let i = 0; i < Number(count); i++) {
  journal.put({
    context: 'mock',
    namespace: 'prod',
    pod: `${prefix}-${i}`,
    proxyIdentity: `uid-${prefix}-${i}/0`,
    before: { rbac: 'warning' },
    raisedAt: '2026-11-22T10:00:00.000Z',
    expiresAt: '2026-11-22T10:10:00.000Z',
    ownerPid: process.pid,
  });
}
