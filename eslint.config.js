// ESLint flat config. The import rules encode the layer diagram of DESIGN.md
// ("a layer may import those below it, never above"):
//   cli -> commands -> ui -> report -> sources -> correlate -> parsers -> engine -> model -> util
// React and Ink belong to src/ui and src/commands/tui.tsx only; the engine has no node:* and no console.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const LAYERS = ['cli', 'commands', 'ui', 'report', 'sources', 'correlate', 'parsers', 'engine', 'model', 'util'];

/** Import patterns for every layer above `layer` (a relative import whose path has that folder). */
function above(layer) {
  const index = LAYERS.indexOf(layer);
  return LAYERS.slice(0, index).map((name) => ({
    group: name === 'cli' ? ['**/cli.js'] : [`**/${name}/**`],
    message: `src/${layer} may not import src/${name}: it is a layer above (DESIGN.md, "Layers").`,
  }));
}

const UI_LIBS = [
  { group: ['react', 'react/*', 'ink', 'ink-*'], message: 'React and Ink belong to src/ui and src/commands/tui.tsx.' },
];
/** Layers above the engine reach it through its public surface, src/engine/index.ts. */
const ENGINE_SURFACE = [
  {
    group: ['**/engine/**', '!**/engine/index.js'],
    message: 'Import the engine through src/engine/index.ts, its public surface (docs/ARCHITECTURE.md).',
  },
];
const NODE_BUILTINS = [{ group: ['node:*'], message: 'The engine does no I/O: no node:* modules.' }];

function restrict(layer, extra = []) {
  return {
    files: [`src/${layer}/**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': ['error', { patterns: [...above(layer), ...extra] }] },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cache/**', 'test/cluster/.cache/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        clearImmediate: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        globalThis: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'off',
    },
  },
  { files: ['src/**/*.{ts,tsx}'], rules: { 'no-console': 'error' } },
  restrict('util', [...UI_LIBS]),
  restrict('model', [...UI_LIBS]),
  restrict('engine', [...UI_LIBS, ...NODE_BUILTINS]),
  restrict('parsers', [...UI_LIBS, ...ENGINE_SURFACE]),
  restrict('correlate', [...UI_LIBS, ...ENGINE_SURFACE]),
  restrict('sources', [...UI_LIBS, ...ENGINE_SURFACE]),
  restrict('report', [...UI_LIBS, ...ENGINE_SURFACE]),
  restrict('ui', [...ENGINE_SURFACE]),
  {
    files: ['src/commands/**/*.{ts,tsx}'],
    ignores: ['src/commands/tui.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...above('commands'), ...UI_LIBS, ...ENGINE_SURFACE] }] },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts', 'scripts/**/*.ts', 'build/**/*.{js,mjs}'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/cli.ts', 'src/commands/tui.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...ENGINE_SURFACE] }] },
  },
  prettier,
);
