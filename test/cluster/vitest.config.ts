import { defineConfig } from 'vitest/config';
import { summary } from '../../vitest.config.js';

/**
 * `npm run test:cluster`: meshdbg's built CLI against a real etcd + kube-apiserver (see
 * README.md here). One control plane for the run (global-setup.ts); files run one at a time
 * since they share it; the fault tests start a private one.
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/cluster/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', summary],
    globalSetup: ['test/cluster/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    // the first run on a machine builds kube-apiserver (see build.sh)
    hookTimeout: 60 * 60_000,
  },
});
