import { configDefaults, defineConfig } from 'vitest/config';
import type { Reporter, TestModule } from 'vitest/node';

// CI reads a plain "N passed, N failed" closing line, not vitest's own summary.
export const summary: Reporter = {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      const tests = [...m.children.allTests()];
      for (const t of tests) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failed++;
        else skipped++;
      }
      if (m.state() === 'failed' && tests.length === 0) failed++; // collect/import error
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  },
};

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // the real-apiserver suite runs apart: npm run test:cluster (test/cluster/vitest.config.ts)
    exclude: [...configDefaults.exclude, 'test/cluster/**'],
    environment: 'node',
    reporters: ['default', summary],
    testTimeout: 20000,
  },
});
