// The part of fs-native-extensions (OS file locks from prebuilt binaries) that src/db/lock.ts uses.
declare module 'fs-native-extensions' {
  /** An exclusive (or shared) lock on an open file: true when granted, false when another open file description holds it. */
  export function tryLock(fd: number, offset?: number, length?: number, opts?: { shared?: boolean }): boolean;
  export function unlock(fd: number, offset?: number, length?: number): void;
}
