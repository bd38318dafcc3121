/**
 * Progress of a long read (a big `--from` directory, or the first list of every kind on a
 * cluster): what is read so far and what is still pending, for a screen that is not blank.
 */

export interface LoadProgress {
  /** what is read, one unit at a time */
  readonly unit: 'file' | 'kind';
  /** objects read so far */
  readonly objects: number;
  /** units read so far */
  readonly done: number;
  /** units not read yet, in the order they will be (kinds: all at once, in any order) */
  readonly pending: readonly string[];
}

export type ProgressListener = (progress: LoadProgress) => void;

export interface ProgressTracker {
  /** more units to read (a directory listed, the kinds a cluster serves) */
  add(names: readonly string[]): void;
  /** one unit read, with the objects it held */
  finish(name: string, objects: number): void;
}

/** Tracks units and objects and tells `listener` after every change (nothing when it is absent). */
export function progressTracker(unit: LoadProgress['unit'], listener: ProgressListener | undefined): ProgressTracker {
  const pending: string[] = [];
  let objects = 0;
  let done = 0;
  const tell = (): void => listener?.({ unit, objects, done, pending: [...pending] });
  return {
    add(names) {
      pending.push(...names);
      tell();
    },
    finish(name, count) {
      const at = pending.indexOf(name);
      if (at >= 0) pending.splice(at, 1);
      objects += count;
      done++;
      tell();
    },
  };
}
