// The first-paint child's memory caps (trial-red w9 #5: opening a notebook took the child to
// 2.1–2.4 GB; it had a time limit only). Both measured with /usr/bin/time -f %M on the child
// (child.ts) fed one request: the shipped notebooks that open on this machine peak at about
// 320 MB in all (replication.md, judges-real.md).

/**
 * What DuckDB may hold (its `memory_limit`, set before the lockdown locks the configuration).
 * One query building a 3 GB string took the child to 2.4 GB before DuckDB's own default
 * (3.1 GiB) stopped it; with this limit it stops at about 520 MB. The query then fails with
 * DuckDB's "Out of Memory Error", which the recording keeps as that cell's status (record.ts).
 */
export const CHILD_MEMORY_LIMIT = '512MiB';

/**
 * The child's JavaScript heap in MB (V8's --max-old-space-size): the notebook's text and parse,
 * the recorded answers (at most FIRST_PAINT_LIMITS.maxResultBytes). Over it the child dies, and
 * the page runs the notebook itself, as after the time limit.
 */
export const CHILD_HEAP_MB = 512;

/**
 * The child's resident memory in MB, all of it: DuckDB's materialized results and Arrow's
 * buffers are outside both caps above (review10 #4: one cell of 100,000 4 kB strings took the
 * child to 2.8 GB). The server samples the child's process group and kills it past this
 * (first-paint-process.ts); the statement it was running is then recorded as failing.
 */
export const CHILD_RSS_LIMIT_MB = 1024;
