/**
 * The graph of relative imports between the modules of a source tree, for the two questions
 * the tooling tests ask of it: which modules import each other in a cycle (import-cycles.ts),
 * and which modules an entry point never uses (import-reach.ts).
 *
 * Each edge says how it imports. `import type` and `export type` are erased at compile time
 * (tsconfig has `verbatimModuleSyntax`, so TypeScript keeps every other import as written,
 * https://www.typescriptlang.org/tsconfig/#verbatimModuleSyntax): a type-only import loads
 * nothing at run time, so it closes no cycle, yet it does use the module it names.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import ts from 'typescript';

/**
 * `static`: loaded while the importer loads; `dynamic`: `import('./x.js')`, loaded when the call
 * runs; `type`: erased at compile time, loads nothing.
 */
export type ImportKind = 'static' | 'dynamic' | 'type';

export interface ImportEdge {
  readonly to: string;
  readonly kind: ImportKind;
}

/** Module path (relative to the root, `/`-separated) -> its imports of modules in the tree. */
export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

interface Specifier {
  readonly text: string;
  readonly kind: ImportKind;
}

function isStringLiteral(node: ts.Node | undefined): node is ts.StringLiteral {
  return node !== undefined && ts.isStringLiteral(node);
}

/** The module specifiers a file imports or re-exports, and its `import()` calls, in source order. */
export function importSpecifiers(fileName: string, text: string): Specifier[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: Specifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && isStringLiteral(node.moduleSpecifier)) {
      const kind = node.importClause?.isTypeOnly === true ? 'type' : 'static';
      found.push({ text: node.moduleSpecifier.text, kind });
    } else if (ts.isExportDeclaration(node) && isStringLiteral(node.moduleSpecifier)) {
      found.push({ text: node.moduleSpecifier.text, kind: node.isTypeOnly ? 'type' : 'static' });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      isStringLiteral(node.arguments[0])
    ) {
      found.push({ text: node.arguments[0].text, kind: 'dynamic' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The module `./x.js` names from `from` (NodeNext: the `.js` of a `.ts` or `.tsx` source), or null outside the tree. */
function resolveRelative(from: string, specifier: string, modules: ReadonlySet<string>): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = join(dirname(from), specifier).split(sep).join('/');
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`, base]) {
    if (modules.has(candidate)) return candidate;
  }
  return null;
}

/** Source files (`.ts`, `.tsx`, not `.d.ts`) under `dir`, relative to `root`. */
function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(root, path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path.split(sep).join('/')] : [];
  });
}

/** The import graph of every source module under `dirs` (relative to `root`). */
export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
  const modules = dirs.flatMap((dir) => sourceFiles(root, dir));
  const known = new Set(modules);
  const graph = new Map<string, ImportEdge[]>();
  for (const module of modules) {
    const edges = importSpecifiers(module, readFileSync(join(root, module), 'utf8')).flatMap((s) => {
      const to = resolveRelative(module, s.text, known);
      return to === null ? [] : [{ to, kind: s.kind }];
    });
    graph.set(module, edges);
  }
  return graph;
}
