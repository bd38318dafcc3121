/**
 * Runs the effects the reducer queued: log-level writes through the feed, and quit
 * (which first restores every raised level).
 */
import { useEffect, useRef } from 'react';
import type { LogFeed, LogLevelRequest, LogLevelResult } from '../feeds/log-feed.js';
import type { AppAction } from '../state/app-reducer.js';
import type { Effect, RaisedLevel } from '../state/app-state.js';
import { restoreRequest } from '../state/log-level.js';
import type { UiIo } from '../io.js';

async function setLevel(feed: LogFeed, request: LogLevelRequest): Promise<LogLevelResult> {
  try {
    return await feed.setLogLevel(request);
  } catch (err) {
    return { changed: 0, errors: [err instanceof Error ? err.message : String(err)] };
  }
}

export interface EffectsDeps {
  readonly feed: LogFeed;
  readonly dispatch: (action: AppAction) => void;
  readonly clock: () => number;
  readonly exit: () => void;
  readonly io: UiIo;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function copyResult(io: UiIo, text: string, now: number): AppAction {
  try {
    io.copy(text);
    return {
      type: 'flash',
      level: 'info',
      text: `copied ${text.length} characters (OSC 52: if nothing arrived, the terminal does not allow it)`,
      now,
    };
  } catch (err) {
    return { type: 'flash', level: 'error', text: `copy: ${messageOf(err)}`, now };
  }
}

export function useEffects(effects: readonly Effect[], raised: readonly RaisedLevel[], deps: EffectsDeps): void {
  const raisedRef = useRef(raised);
  raisedRef.current = raised;
  const { feed, dispatch, clock, exit, io } = deps;
  useEffect(() => {
    if (effects.length === 0) return;
    dispatch({ type: 'effects-done', count: effects.length });
    for (const effect of effects) {
      if (effect.kind === 'quit') {
        const restores = raisedRef.current.map((r) => setLevel(feed, restoreRequest(r.request)));
        void Promise.allSettled(restores).then(exit);
        continue;
      }
      if (effect.kind === 'write-file') {
        void io.writeFile(effect.path, effect.text).then(
          () => dispatch({ type: 'flash', level: 'info', text: `wrote ${effect.path}`, now: clock() }),
          (err: unknown) =>
            dispatch({ type: 'flash', level: 'error', text: `:w ${effect.path}: ${messageOf(err)}`, now: clock() }),
        );
        continue;
      }
      if (effect.kind === 'copy') {
        dispatch(copyResult(io, effect.text, clock()));
        continue;
      }
      const { request, purpose } = effect;
      void setLevel(feed, request).then((result) =>
        dispatch({ type: 'log-level-done', purpose, request, result, now: clock() }),
      );
    }
  }, [effects, feed, dispatch, clock, exit, io]);
}
