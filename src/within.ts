// Work given a deadline: its result when it settles in time, else a stand-in — and the timer cleared
// either way, so a deadline that was not needed does not keep the process waiting. The work itself
// goes on (a promise cannot be stopped); the caller decides what a late result means.

/** `work`'s value if it arrives within `ms`, else `otherwise`. */
export async function within<T, F>(work: Promise<T>, ms: number, otherwise: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<F>((resolve) => (timer = setTimeout(() => resolve(otherwise), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
