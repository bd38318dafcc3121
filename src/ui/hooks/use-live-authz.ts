/**
 * Reads the running proxy's authz-check table while a pod detail is open. Latest wins:
 * leaving the pod (or opening another) aborts the read, and a late answer is dropped.
 */
import { useEffect } from 'react';
import type { LiveAuthz, LiveAuthzCheck } from '../data/engine-port.js';
import type { PodRow } from '../data/pod-rows.js';
import type { AppAction } from '../state/app-reducer.js';

export function useLiveAuthz(
  check: LiveAuthzCheck | null,
  row: PodRow | null,
  dispatch: (action: AppAction) => void,
): void {
  useEffect(() => {
    if (check === null || row === null) return undefined;
    const ambient = row.dataplane === 'ambient' && check.readAmbient !== undefined;
    if (!row.sidecar && !ambient) return undefined;
    const controller = new AbortController();
    const pod = row.key;
    dispatch({ type: 'live-authz', pod, result: { status: 'loading' } });
    const read: Promise<LiveAuthz> =
      ambient && check.readAmbient
        ? check
            .readAmbient(row.pod, controller.signal)
            .then((a) => ({ status: 'done', rows: a.rows, ambient: { from: a.from, messages: a.messages } }))
        : check.read(row.pod, controller.signal).then((t) => ({ status: 'done', rows: t.rows, issues: t.issues }));
    read.then(
      (result) => {
        if (!controller.signal.aborted) dispatch({ type: 'live-authz', pod, result });
      },
      (err: unknown) => {
        if (!controller.signal.aborted)
          dispatch({
            type: 'live-authz',
            pod,
            result: { status: 'error', message: err instanceof Error ? err.message : String(err) },
          });
      },
    );
    return () => controller.abort();
  }, [check, row, dispatch]);
}
