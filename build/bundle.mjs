// Bundles the CLI into ESM files (startup ~280 ms instead of ~930 ms unbundled): dist/meshdbg.mjs,
// plus one chunk per lazily imported part (the TUI, the Kubernetes client), loaded with a real
// import(). Splitting also lets Node run ink's yoga-layout top-level await natively: in a single
// file esbuild wraps lazily imported modules in async initialisers, and an import cycle among them
// never settles (the TUI's views and reducers import each other).
import { build } from 'esbuild';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';

// chunk names carry a content hash: drop the previous build's
rmSync('dist/chunks', { recursive: true, force: true });
await build({
  // worker threads load their own entry (src/commands/worker-thread.ts): explain --batch FILE's and diff's other side
  entryPoints: {
    meshdbg: 'src/cli.ts',
    'explain-batch-worker': 'src/commands/explain-batch-worker.ts',
    'diff-side-worker': 'src/commands/diff-side-worker.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': './build/devtools-stub.js' },
  // CJS dependencies (js-yaml, node-fetch, ws) call require() inside the ESM bundle.
  banner: {
    js: "import { createRequire as __meshdbgCreateRequire } from 'node:module'; const require = __meshdbgCreateRequire(import.meta.url);",
  },
});
chmodSync('dist/meshdbg.mjs', 0o755);
// `node dist/cli.js` (the conformance runner's default) runs the same bundle.
writeFileSync('dist/cli.js', "import './meshdbg.mjs';\n");
