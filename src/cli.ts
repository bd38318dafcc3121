#!/usr/bin/env node
/**
 * meshdbg entry point: argv -> a command. No logic here beyond dispatch and
 * the top-level handlers (an unexpected crash exits 70, never 1 which means "denied").
 */
import { main } from './commands/main.js';
import { installCrashHandlers, reportFatal } from './commands/crash.js';

installCrashHandlers();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportFatal(err);
  },
);
