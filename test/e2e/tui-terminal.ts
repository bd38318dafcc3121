/**
 * Drives the built binary in a real pseudo-terminal: tmux on a private socket when
 * present, else `script -qfec`. The child runs with `env -u CI` (Ink draws nothing under CI).
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { stripControl } from '../../src/ui/sanitize.js';

export interface Terminal {
  screen(): string;
  keys(...keys: string[]): void;
  text(text: string): void;
  close(): void;
}

const TMUX_KEYS: Readonly<Record<string, string>> = { enter: 'Enter', esc: 'Escape', down: 'Down', up: 'Up' };
const RAW_KEYS: Readonly<Record<string, string>> = { enter: '\r', esc: '\u001b', down: '\u001b[B', up: '\u001b[A' };

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function tmuxTerminal(command: string, cwd: string, columns = 120, rows = 40): Terminal {
  const socket = `meshdbg-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { cwd, encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'e2e', '-x', String(columns), '-y', String(rows), `cd ${cwd} && env -u CI ${command}; echo EXIT_CODE=$?; sleep 30`);
  tmux('set-option', '-s', 'escape-time', '0');
  return {
    screen: () => tmux('capture-pane', '-p', '-t', 'e2e'),
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
export function scriptTerminal(command: string, cwd: string): Terminal {
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-qfec', `stty cols 120 rows 40; env -u CI ${command}; echo EXIT_CODE=$?`, '/dev/null'], { cwd });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const send = (data: string): void => {
    output = '';
    child.stdin.write(data);
  };
  return {
    screen: () => stripControl(output, true),
    keys: (...keys) => {
      for (const k of keys) send(RAW_KEYS[k] ?? k);
    },
    text: send,
    close: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}
