/**
 * Pending `checking request|connection` lines waiting for their RBAC decision, keyed by
 * origin + thread. Bounded: beyond `max` entries the oldest is dropped and reported.
 */
import type { RbacRequest } from './log-event.js';

export interface PendingRequest {
  readonly request: RbacRequest;
  readonly evidence: readonly string[];
}

export class RbacJoins {
  private readonly pending = new Map<string, PendingRequest>();

  constructor(
    private readonly max: number,
    private readonly onEvict: (lineNo: number) => void,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  put(key: string, entry: PendingRequest): void {
    this.pending.delete(key);
    this.pending.set(key, entry);
    while (this.pending.size > this.max) {
      const oldest = this.pending.keys().next().value as string;
      const dropped = this.pending.get(oldest);
      this.pending.delete(oldest);
      if (dropped) this.onEvict(dropped.request.lineNo);
    }
  }

  get(key: string): PendingRequest | undefined {
    return this.pending.get(key);
  }

  delete(key: string): void {
    this.pending.delete(key);
  }
}
