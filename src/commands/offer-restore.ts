/**
 * At start, log levels an earlier run left raised (crash, kill -9, lost terminal) are
 * offered for restore, as the journal promises: a y/N question on the terminal before the
 * TUI draws (default yes). Without a terminal to ask on, they are restored and said so.
 */
import { createInterface } from 'node:readline/promises';

export interface PromptIo {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

export async function offerRestore(
  pods: readonly string[],
  io: PromptIo = { input: process.stdin, output: process.stderr },
): Promise<boolean> {
  const shown = pods.slice(0, 5).join(', ') + (pods.length > 5 ? ` and ${pods.length - 5} more` : '');
  const question = `meshdbg: an earlier run left proxy log levels raised on ${shown}. Restore them now? [Y/n] `;
  if (!io.input.isTTY) {
    io.output.write(`${question}(no terminal to ask: restoring)\n`);
    return true;
  }
  const rl = createInterface({ input: io.input, output: io.output });
  try {
    const answer = (await rl.question(question)).trim().toLowerCase();
    return answer === '' || answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}
