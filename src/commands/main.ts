/** Dispatches argv to a command; each command returns its exit code. */
import { HELP } from './help.js';
import { runExplain } from './explain.js';
import { runLint } from './lint.js';
import { runCheck } from './check.js';

const VERSION = '0.1.0';

type Command = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  explain: runExplain,
  lint: runLint,
  check: runCheck,
};

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--version')) {
    process.stdout.write(`meshdbg ${VERSION}\n`);
    return 0;
  }
  const explainFlag = argv.indexOf('--explain');
  if (explainFlag >= 0) return runExplain([...argv.slice(0, explainFlag), ...argv.slice(explainFlag + 1)]);
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
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
