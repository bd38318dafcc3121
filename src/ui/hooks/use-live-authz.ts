/**
 * Reads the running proxy's authz-check table while a pod detail is open. Latest wins:
 * leaving the pod (or opening another) aborts the read, and a late answer is dropped.
 */
import { useEffect } from 'react';
import type { LiveAuthzCheck } from '../data/engine-port.js';
import type { PodRow } from '../data/pod-rows.js';
import type { AppAction } from '../state/app-reducer.js';

export function useLiveAuthz(
  check: LiveAuthzCheck | null,
  row: PodRow | null,
  dispatch: (action: AppAction) => void,
): void {
  useEffect(() => {
    if (check === null || row === null || !row.sidecar) return undefined;
    const controller = new AbortController();
    const pod = row.key;
    dispatch({ type: 'live-authz', pod, result: { status: 'loading' } });
    check.read(row.pod, controller.signal).then(
      (rows) => {
        if (!controller.signal.aborted) dispatch({ type: 'live-authz', pod, result: { status: 'done', rows } });
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
