/**
 * Runs the effects the reducer queued: log-level writes through the feed, and quit
 * (which first restores every raised level).
 */
import { useEffect, useRef } from 'react';
import type { LogFeed, LogLevelRequest, LogLevelResult } from '../feeds/log-feed.js';
import type { AppAction } from '../state/app-reducer.js';
import type { Effect, RaisedLevel } from '../state/app-state.js';
import { restoreRequest } from '../state/log-level.js';

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
}

export function useEffects(effects: readonly Effect[], raised: readonly RaisedLevel[], deps: EffectsDeps): void {
  const raisedRef = useRef(raised);
  raisedRef.current = raised;
  const { feed, dispatch, clock, exit } = deps;
  useEffect(() => {
    if (effects.length === 0) return;
    dispatch({ type: 'effects-done', count: effects.length });
    for (const effect of effects) {
      if (effect.kind === 'quit') {
        const restores = raisedRef.current.map((r) => setLevel(feed, restoreRequest(r.request)));
        void Promise.allSettled(restores).then(exit);
        continue;
      }
      const { request, purpose } = effect;
      void setLevel(feed, request).then((result) =>
        dispatch({ type: 'log-level-done', purpose, request, result, now: clock() }),
      );
    }
  }, [effects, feed, dispatch, clock, exit]);
}
