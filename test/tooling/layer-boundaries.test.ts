// The lint rules that keep DESIGN.md's layer diagram: a file under src/engine may not import a
// layer above it, nor React/Ink, nor node:* (ESLint's Node API, https://eslint.org/docs/latest/integrate/nodejs-api).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer boundaries', () => {
  it.each([
    ['src/engine/probe.ts', "import { App } from '../ui/app.js';\nexport const x = App;\n", 'src/ui'],
    [
      'src/engine/istio/probe.ts',
      "import { run } from '../../sources/exec.js';\nexport const x = run;\n",
      'src/sources',
    ],
    [
      'src/model/probe.ts',
      "import { explain } from '../engine/explain.js';\nexport const x = explain;\n",
      'src/engine',
    ],
    ['src/parsers/probe.ts', "import { c } from '../correlate/correlator.js';\nexport const x = c;\n", 'src/correlate'],
    ['src/correlate/probe.ts', "import { r } from '../report/text.js';\nexport const x = r;\n", 'src/report'],
    ['src/util/probe.ts', "import { s } from '../model/snapshot.js';\nexport const x = s;\n", 'src/model'],
    ['src/engine/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'node:*'],
    ['src/report/probe.ts', "import { Box } from 'ink';\nexport const x = Box;\n", 'React and Ink'],
    [
      'src/ui/probe.ts',
      "import { markEffective } from '../engine/explain/decide.js';\nexport const x = markEffective;\n",
      'src/engine/index.ts',
    ],
    [
      'src/commands/tui.tsx',
      "import { explain } from '../engine/explain.js';\nexport const x = explain;\n",
      'public surface',
    ],
  ])('%s importing %s is refused', async (file, code, expected) => {
    const messages = await restrictedImports(file, code);
    expect(messages.join('\n')).toContain(expected);
  });

  it.each([
    ['src/engine/probe.ts', "import { s } from '../model/snapshot.js';\nexport const x = s;\n"],
    ['src/ui/probe.ts', "import { Box } from 'ink';\nexport const x = Box;\n"],
    ['src/commands/tui.tsx', "import { render } from 'ink';\nexport const x = render;\n"],
    ['src/correlate/probe.ts', "import { p } from '../parsers/log-event.js';\nexport const x = p;\n"],
    ['src/ui/probe.ts', "import { explain } from '../engine/index.js';\nexport const x = explain;\n"],
  ])('%s may import a layer below it', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });

  it('the engine may not write to the console', async () => {
    const [result] = await eslint.lintText('export function f(): void {\n  console.log(1);\n}\n', {
      filePath: 'src/engine/probe.ts',
    });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-console');
  });
});
