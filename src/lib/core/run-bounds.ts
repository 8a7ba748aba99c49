// How big a run a spec may ask for. A run cell is opened from notebooks people send each
// other, so its numbers are bounded before anything is planned: a billion samples is an error
// naming the field and the bound, not a server that runs out of memory. The same bounds hold
// for the CLI (covw run --samples, --limit).

/** Answers per item. */
export const MAX_SAMPLES = 100;

/** Items per run (a limit above the number of items simply takes them all). */
export const MAX_LIMIT = 100_000;
