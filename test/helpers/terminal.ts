/**
 * A real pseudo-terminal for driving the built binary: tmux on a private socket when present,
 * else `script -qfec`. The child runs with `env -u CI` (Ink draws nothing under CI). Used by the
 * e2e tests (test/e2e) and the real-apiserver churn tests (test/cluster).
 */
import { execFileSync as run, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { stripControl } from '../../src/ui/sanitize.js';
import { waitFor } from './wait-for.js';

export interface Terminal {
  /** tmux keeps a screen (the alternate screen included); `script` gives the output since the last key */
  readonly emulator: 'tmux' | 'script';
  screen(): string;
  /** `script` only: the bytes written since the last key, escape sequences included (tmux: null) */
  rawOutput(): string | null;
  keys(...keys: string[]): void;
  text(text: string): void;
  close(): void;
}

const TMUX_KEYS: Readonly<Record<string, string>> = {
  enter: 'Enter',
  esc: 'Escape',
  down: 'Down',
  up: 'Up',
  'ctrl+c': 'C-c',
};
const RAW_KEYS: Readonly<Record<string, string>> = {
  enter: '\r',
  esc: '\u001b',
  down: '\u001b[B',
  up: '\u001b[A',
  'ctrl+c': '\u0003',
};

/** After the command: its exit code and whether the terminal is back in canonical mode. */
const EPILOGUE = `echo EXIT_CODE=$?; stty -a | grep -oE '(^| )-?icanon' | sed 's/^ *//;s/^/TTY_MODE=/'`;

function hasTmux(): boolean {
  try {
    run('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function tmuxTerminal(command: string, cwd: string, columns: number, rows: number): Terminal {
  const socket = `meshdbg-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]): string =>
    run('tmux', ['-L', socket, '-f', '/dev/null', ...args], { cwd, encoding: 'utf8' });
  const size = ['-x', String(columns), '-y', String(rows)];
  tmux('new-session', '-d', '-s', 'e2e', ...size, `cd ${cwd} && env -u CI ${command}; ${EPILOGUE}; sleep 30`);
  tmux('set-option', '-s', 'escape-time', '0');
  return {
    emulator: 'tmux',
    screen: () => tmux('capture-pane', '-p', '-t', 'e2e'),
    rawOutput: () => null,
    keys: (...keys) => {
      for (const k of keys) tmux('send-keys', '-t', 'e2e', TMUX_KEYS[k] ?? k);
    },
    text: (text) => {
      tmux('send-keys', '-t', 'e2e', '-l', text);
    },
    close: () => {
      try {
        tmux('kill-server');
      } catch {
        // the server already exited with its last session
      }
    },
  };
}

/**
 * Fallback without tmux: `script` gives a pty. Ink redraws the whole frame after each input,
 * so the screen is the output since the last key sent, control sequences stripped.
 */
function scriptTerminal(command: string, cwd: string, columns: number, rows: number): Terminal {
  const child: ChildProcessWithoutNullStreams = spawn(
    'script',
    ['-qfec', `stty cols ${columns} rows ${rows}; env -u CI ${command}; ${EPILOGUE}`, '/dev/null'],
    { cwd },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const send = (data: string): void => {
    output = '';
    child.stdin.write(data);
  };
  return {
    emulator: 'script',
    screen: () => stripControl(output, true),
    rawOutput: () => output,
    keys: (...keys) => {
      for (const k of keys) send(RAW_KEYS[k] ?? k);
    },
    text: send,
    close: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

/** Runs `command` (a shell command line) in a new 120x40 pseudo-terminal; MESHDBG_E2E_PTY=script forces `script`. */
export function openTerminal(command: string, cwd: string, columns = 120, rows = 40): Terminal {
  const useTmux = hasTmux() && process.env['MESHDBG_E2E_PTY'] !== 'script';
  return useTmux ? tmuxTerminal(command, cwd, columns, rows) : scriptTerminal(command, cwd, columns, rows);
}

/** Waits until the terminal's screen matches `pattern` (a RegExp, or a predicate on the screen); returns that screen. */
export function screenMatching(
  term: Terminal,
  pattern: RegExp | ((screen: string) => boolean),
  timeoutMs = 10_000,
): Promise<string> {
  const matches = typeof pattern === 'function' ? pattern : (screen: string) => pattern.test(screen);
  return waitFor(
    () => {
      const screen = term.screen();
      if (!matches(screen)) throw new Error(`expected ${String(pattern)} on screen, got:\n${screen}`);
      return screen;
    },
    timeoutMs,
    50,
  );
}
