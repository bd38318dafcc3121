/** Dispatches argv to a command; each command returns its exit code. */
import { HELP } from './help.js';
import { runExplain } from './explain.js';
import { runLint } from './lint.js';
import { runCheck } from './check.js';
import { guardTerminalOutput } from './terminal-output.js';
import { importWithoutFetch } from './import-without-fetch.js';

const VERSION = '0.1.0';

type Command = (argv: readonly string[]) => Promise<number>;

/** The TUI (Ink + React), loaded only when a terminal UI is asked for, without fetch (import-without-fetch.ts). */
const loadTui = (): Promise<typeof import('./tui.js')> => importWithoutFetch(() => import('./tui.js'));

const COMMANDS: Readonly<Record<string, Command>> = {
  explain: runExplain,
  lint: runLint,
  check: runCheck,
  'authz-check': async (argv) => (await import('./authz-check.js')).runAuthzCheck(argv),
  map: async (argv) => (await import('./map.js')).runMap(argv),
  diff: async (argv) => (await import('./diff.js')).runDiff(argv),
  denials: async (argv) => (await import('./denials.js')).runDenials(argv),
  // the Kubernetes client is loaded only by the commands that talk to a cluster
  snapshot: async (argv) => (await import('./snapshot.js')).runSnapshot(argv),
  // the TUI (Ink + React) is loaded only when a terminal UI is asked for
  demo: async (argv) => (await importWithoutFetch(() => import('./demo.js'))).runDemo(argv),
  tui: async (argv) => (await loadTui()).runTuiCommand(argv),
  completion: async (argv) => (await import('./completion.js')).runCompletion(argv),
};

/** Ink draws with escape sequences: only the interactive commands keep the raw streams. */
function drawsTui(argv: readonly string[]): boolean {
  const [command, ...rest] = argv;
  if (command === undefined || (command.startsWith('-') && !['--help', '-h', '--version'].includes(command)))
    return !argv.includes('--version');
  return command === 'tui' || (command === 'demo' && !rest.includes('--print-logs'));
}

export async function main(argv: readonly string[]): Promise<number> {
  // lets the CLI tests prove that an unexpected exception exits 70, never 1 ("denied")
  if (process.env['MESHDBG_TEST_CRASH'] === '1') throw new Error('crash requested by MESHDBG_TEST_CRASH');
  if (!drawsTui(argv)) guardTerminalOutput();
  if (argv.includes('--version')) {
    process.stdout.write(`meshdbg ${VERSION}\n`);
    return 0;
  }
  const explainFlag = argv.indexOf('--explain');
  if (explainFlag >= 0) return runExplain([...argv.slice(0, explainFlag), ...argv.slice(explainFlag + 1)]);
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  // `meshdbg` alone or with only flags (`--from PATH`, `--logs F`, `-n NS`) opens the TUI
  if (first === undefined || first.startsWith('-')) return (await loadTui()).runTuiCommand(argv);
  const command = COMMANDS[first];
  if (command) {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(HELP);
      return 0;
    }
    return command(rest);
  }
  process.stderr.write(`meshdbg: unknown command "${first}"\n  hint: run meshdbg --help\n`);
  return 2;
}
