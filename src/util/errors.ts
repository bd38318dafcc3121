/**
 * Errors a user can act on. `userMessage` is one line; `hint` says how to fix it.
 * Anything that is not a MeshdbgError reaching the top level is an internal error (exit 70).
 * Long values quoted in the message are cut (util/cut-text.ts).
 */
import { cutLongValues } from './cut-text.js';

export class MeshdbgError extends Error {
  readonly userMessage: string;
  readonly hint: string | undefined;
  readonly exitCode: number;
  readonly code: string;
  readonly candidates: readonly string[];

  constructor(
    code: string,
    userMessage: string,
    opts: { hint?: string; exitCode?: number; cause?: unknown; candidates?: readonly string[] } = {},
  ) {
    const message = cutLongValues(userMessage);
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MeshdbgError';
    this.code = code;
    this.userMessage = message;
    this.hint = opts.hint === undefined ? undefined : cutLongValues(opts.hint);
    this.exitCode = opts.exitCode ?? 2;
    this.candidates = (opts.candidates ?? []).map((c) => cutLongValues(c));
  }
}

/** Bad input: unreadable or invalid manifest, bad flag, unknown peer. Exit 2. */
export function inputError(code: string, message: string, hint?: string, candidates?: readonly string[]): MeshdbgError {
  return new MeshdbgError(code, message, { hint, exitCode: 2, candidates });
}
