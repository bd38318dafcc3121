/**
 * The only code that touches ink-testing-library: renders a tree, presses keys by
 * keymap id (never raw escapes in tests), and waits for frames.
 */
import type { ReactElement } from 'react';
import { EventEmitter } from 'node:events';
import { render as inkRenderReal } from 'ink';
import { render as inkRender } from 'ink-testing-library';
import { keyFor, type CommandId } from '../../src/ui/keymap.js';
import type { ViewName } from '../../src/ui/state/navigation.js';
import { keyOf } from '../../src/ui/views/view-keys.js';
import { waitFor } from './wait-for.js';

const SEQUENCES: Readonly<Record<string, string>> = {
  up: '\u001B[A',
  down: '\u001B[B',
  left: '\u001B[D',
  right: '\u001B[C',
  enter: '\r',
  esc: '\u001B',
  tab: '\t',
  backspace: '\u007F',
  delete: '\u001B[3~',
  pageup: '\u001B[5~',
  pagedown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  'ctrl+c': '\u0003',
  'ctrl+b': '\u0002',
  'ctrl+f': '\u0006',
};

export function sequenceFor(key: string): string {
  return SEQUENCES[key] ?? key;
}

export interface Rendered {
  frame(): string;
  /** presses the key bound to `id` in `view`'s scopes (or the prompt/confirm scope) */
  press(id: string, view?: string): void;
  /** writes text as if typed or pasted in one chunk */
  type(text: string): void;
  waitForText(text: string | RegExp, timeoutMs?: number): Promise<string>;
  waitForNoText(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** renders a new tree in place (new props, e.g. a rebuilt Snapshot) */
  rerender(tree: ReactElement): void;
  unmount(): void;
  readonly frames: string[];
}

export function renderTui(tree: ReactElement): Rendered {
  const instance = inkRender(tree);
  const frame = (): string => instance.lastFrame() ?? '';
  const has = (f: string, text: string | RegExp): boolean =>
    typeof text === 'string' ? f.includes(text) : text.test(f);
  return {
    frame,
    frames: instance.frames,
    press(id, view = 'pods') {
      const mode = view === 'prompt' || view === 'confirm';
      const key = mode ? keyFor(id as CommandId, [view]) : keyOf(id, view as ViewName);
      instance.stdin.write(sequenceFor(key));
    },
    type(text) {
      instance.stdin.write(text);
    },
    waitForText(text, timeoutMs) {
      return waitFor(() => {
        const f = frame();
        if (!has(f, text)) throw new Error(`expected ${String(text)} on screen, got:\n${f}`);
        return f;
      }, timeoutMs);
    },
    waitForNoText(text, timeoutMs) {
      return waitFor(() => {
        const f = frame();
        if (has(f, text)) throw new Error(`expected ${String(text)} gone, got:\n${f}`);
        return f;
      }, timeoutMs);
    },
    rerender: (tree) => instance.rerender(tree),
    unmount: () => instance.unmount(),
  };
}

export interface ResizableRendered {
  frame(): string;
  resize(columns: number, rows: number): void;
  waitForText(text: string | RegExp, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

/** Renders with a fake terminal whose size can change (ink-testing-library's is fixed at 100 columns). */
export function renderResizable(tree: ReactElement, size: { columns: number; rows: number }): ResizableRendered {
  const stdout = Object.assign(new EventEmitter(), {
    columns: size.columns,
    rows: size.rows,
    isTTY: false,
    last: '',
    write(frame: string) {
      stdout.last = frame;
      return true;
    },
  });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: false,
    setRawMode() {},
    setEncoding() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read: () => null,
  });
  const instance = inkRenderReal(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    frame: () => stdout.last,
    resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    waitForText(text, timeoutMs) {
      return waitFor(() => {
        const f = stdout.last;
        if (!(typeof text === 'string' ? f.includes(text) : text.test(f)))
          throw new Error(`expected ${String(text)} on screen, got:\n${f}`);
        return f;
      }, timeoutMs);
    },
    unmount: () => instance.unmount(),
  };
}
