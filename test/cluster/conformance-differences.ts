/**
 * Where `meshdbg lint` and the real apiserver disagree on an object of our corpora, and why.
 * Key: file#document index. `server`: what the apiserver did; `lint`: whether lint said error.
 */
export interface KnownDifference {
  readonly server: 'accepted' | 'rejected';
  readonly lint: 'error' | 'ok';
  readonly why: string;
}

export const KNOWN_DIFFERENCES: Readonly<Record<string, KnownDifference>> = {};
