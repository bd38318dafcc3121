/**
 * Reading a big `--from` input or a cluster's first lists takes seconds: the terminal shows
 * what is read and what is pending meanwhile (ui/components/loading-screen.tsx), on the same
 * alternate screen the TUI then takes over, instead of staying blank.
 */
import { render } from 'ink';
import type { ProgressListener } from '../sources/load-progress.js';
import { createProgressStore, LoadingScreen } from './components/loading-screen.js';

type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** The caller's terminal handling (commands/tui.tsx owns the alternate screen and the exit codes). */
export interface ScreenControl {
  enter(): void;
  leave(): void;
  /** ends the process as that signal does (after leave()) */
  exit(signal: StopSignal): void;
}

const CLEAR_SCREEN = '\u001b[2J\u001b[H';
const SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Runs `load` with a screen of its progress; the screen is gone (and on failure, the alternate screen too) when it returns. */
export async function withLoadingScreen<T>(
  source: string,
  screen: ScreenControl,
  load: (report: ProgressListener) => Promise<T>,
): Promise<T> {
  screen.enter();
  const progress = createProgressStore();
  const instance = render(<LoadingScreen source={source} progress={progress} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  // no key handling while loading: a signal leaves the alternate screen before the process ends
  const handlers = SIGNALS.map((signal) => {
    const handler = (): void => {
      instance.unmount();
      screen.leave();
      screen.exit(signal);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  try {
    const result = await load((p) => progress.report(p));
    instance.unmount();
    if (process.stdout.isTTY) process.stdout.write(CLEAR_SCREEN);
    return result;
  } catch (err) {
    instance.unmount();
    screen.leave();
    throw err;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}
