/**
 * The one wrapper around execa: every external command meshdbg runs goes through
 * `runCommand` (args array, timeout, AbortSignal, never a shell string).
 */
import { execa, ExecaError } from 'execa';
import { cutText, MAX_VALUE_CHARS } from '../util/cut-text.js';

export type ExecFailure = 'not-found' | 'timeout' | 'aborted' | 'exit-code' | 'spawn' | 'too-much-output';

/** A command that did not succeed; `reason` says why, `stderr` holds what it printed. */
export class ExecError extends Error {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly stdout: string;
  readonly reason: ExecFailure;

  constructor(fields: {
    cmd: string;
    args: readonly string[];
    exitCode: number | null;
    stderr: string;
    stdout: string;
    reason: ExecFailure;
    /** the output cap that was hit, for 'too-much-output' */
    maxOutputBytes?: number;
  }) {
    super(
      describeFailure(fields.cmd, fields.args, fields.reason, fields.exitCode, fields.stderr, fields.maxOutputBytes),
    );
    this.name = 'ExecError';
    this.cmd = fields.cmd;
    this.args = fields.args;
    this.exitCode = fields.exitCode;
    this.stderr = fields.stderr;
    this.stdout = fields.stdout;
    this.reason = fields.reason;
  }
}

/**
 * Output kept per stream, at most: a command printing more is stopped (execa's maxBuffer, which
 * ends the subprocess). execa's default is 100 MB; what meshdbg runs (istioctl x authz check,
 * proxy-config log, version) prints kilobytes.
 */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface RunOptions {
  readonly timeoutMs: number;
  /** Default MAX_OUTPUT_BYTES. */
  readonly maxOutputBytes?: number;
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

function describeFailure(
  cmd: string,
  args: readonly string[],
  reason: ExecFailure,
  exitCode: number | null,
  stderr: string,
  maxOutputBytes = MAX_OUTPUT_BYTES,
): string {
  const shown = [cmd, ...args].join(' ');
  // a 10 MB stderr line is quoted in part (the whole of it stays in `stderr`)
  const firstLine = cutText(stderr.trim().split('\n')[0] ?? '', MAX_VALUE_CHARS);
  switch (reason) {
    case 'not-found':
      return `${cmd} was not found on PATH`;
    case 'timeout':
      return `${shown} did not finish in time`;
    case 'aborted':
      return `${shown} was cancelled`;
    case 'spawn':
      return `${shown} could not be started`;
    case 'too-much-output':
      return `${shown} printed more than ${Math.round((maxOutputBytes / 1024 / 1024) * 10) / 10} MiB and was stopped`;
    case 'exit-code':
      return `${shown} exited with ${exitCode ?? '?'}${firstLine ? `: ${firstLine}` : ''}`;
  }
}

function failureOf(err: ExecaError): ExecFailure {
  if (err.code === 'ENOENT') return 'not-found';
  if (err.timedOut) return 'timeout';
  if (err.isMaxBuffer) return 'too-much-output';
  if (err.isCanceled) return 'aborted';
  if (err.exitCode === undefined) return 'spawn';
  return 'exit-code';
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Runs `cmd args...` and returns its output, or throws ExecError. */
export async function runCommand(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  try {
    const result = await execa(cmd, [...args], {
      timeout: opts.timeoutMs,
      cancelSignal: opts.signal,
      env: opts.env,
      stdin: 'ignore',
      stripFinalNewline: false,
      forceKillAfterDelay: 1000,
      maxBuffer: opts.maxOutputBytes ?? MAX_OUTPUT_BYTES,
    });
    return { stdout: asText(result.stdout), stderr: asText(result.stderr) };
  } catch (err) {
    if (err instanceof ExecaError) {
      throw new ExecError({
        cmd,
        args,
        exitCode: err.exitCode ?? null,
        stderr: asText(err.stderr),
        stdout: asText(err.stdout),
        reason: failureOf(err),
        maxOutputBytes: opts.maxOutputBytes ?? MAX_OUTPUT_BYTES,
      });
    }
    throw err;
  }
}
