import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMAND_WORDS, completionScript } from '../../src/commands/completion.js';
import { OPTION_SPEC } from '../../src/commands/options.js';

describe('meshdbg completion', () => {
  it.each(['bash', 'zsh', 'fish'])('%s names every command and flag', (shell) => {
    const script = completionScript(shell);
    for (const word of COMMAND_WORDS) expect(script).toContain(word);
    for (const flag of Object.keys(OPTION_SPEC)) expect(script).toContain(flag);
    // namespaces and pods come from the live cluster through kubectl, only when completing
    expect(script).toContain('kubectl get namespaces');
    expect(script).toContain('kubectl get pods -A');
  });

  it('refuses an unknown shell with the ones it knows', () => {
    expect(() => completionScript('tcsh')).toThrow(/bash, zsh, fish/);
    expect(() => completionScript(undefined)).toThrow(/give the shell/);
  });

  it('the bash script completes commands and flags when bash runs it', () => {
    const run = (words: string[], cword: number): string =>
      execFileSync(
        'bash',
        [
          '-c',
          `${completionScript('bash')}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${cword}; _meshdbg; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } },
      );
    expect(run(['meshdbg', 'ex'], 1).split('\n')).toContain('explain');
    expect(run(['meshdbg', 'lint', '--fr'], 2).split('\n')).toContain('--from');
    expect(run(['meshdbg', 'completion', ''], 2).trim().split('\n')).toEqual(['bash', 'zsh', 'fish']);
  });
});
