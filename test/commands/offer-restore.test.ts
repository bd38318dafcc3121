/** Issue 17: leftover log levels found at start are offered for restore (as the journal promises). */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { offerRestore } from '../../src/commands/offer-restore.js';

function io(
  tty: boolean,
  answer: string | null,
): { input: PassThrough & { isTTY?: boolean }; output: PassThrough; text: () => string } {
  const input = Object.assign(new PassThrough(), tty ? { isTTY: true } : {});
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString('utf8')));
  if (answer !== null) setTimeout(() => input.write(answer), 20);
  return { input, output, text: () => text };
}

describe('offerRestore', () => {
  it('asks on a terminal, naming the pods; "n" declines, Enter accepts', async () => {
    const no = io(true, 'n\n');
    expect(await offerRestore(['backend-1.prod', 'backend-2.prod'], no)).toBe(false);
    expect(no.text()).toContain(
      'left proxy log levels raised on backend-1.prod, backend-2.prod. Restore them now? [Y/n]',
    );
    expect(await offerRestore(['backend-1.prod'], io(true, '\n'))).toBe(true);
  });

  it('without a terminal to ask on, restores and says so', async () => {
    const quiet = io(false, null);
    expect(await offerRestore(['backend-1.prod'], quiet)).toBe(true);
    expect(quiet.text()).toContain('(no terminal to ask: restoring)');
  });
});
