/**
 * Runs a command's entry function in this process as src/cli.ts runs it (an exception goes through
 * reportFatal: 70 for anything not a MeshdbgError), with everything it prints captured.
 */
import { vi } from 'vitest';
import { reportFatal } from '../../src/commands/crash.js';

/** The command's exit status and what it wrote to stdout and stderr, interleaved. */
export async function runInProcess(run: () => Promise<number>): Promise<{ code: number; output: string }> {
  let output = '';
  const write = (chunk: unknown): boolean => {
    output += String(chunk);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(write);
  vi.spyOn(process.stderr, 'write').mockImplementation(write);
  try {
    return { code: await run(), output };
  } catch (err) {
    return { code: reportFatal(err), output };
  } finally {
    vi.restoreAllMocks();
  }
}
