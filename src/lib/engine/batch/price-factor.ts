// OpenAI bills Batch API tokens at half the live price. Its own module so that readers of a
// run's cost (run-cost.ts) need not load the batch machinery.
export const BATCH_PRICE_FACTOR = 0.5;

/** The share of the live price a run pays: half for a Batch API run (`batch: true` in its params), else all. */
export function priceFactorOf(params: Record<string, unknown> | undefined): number {
	return params?.batch === true ? BATCH_PRICE_FACTOR : 1;
}

/** What every cost of a Batch API run says beside it (CLI summaries, covw runs show, the runs pages). */
export const BATCH_PRICE_NOTE = 'batch price (½ of list)';

/** BATCH_PRICE_NOTE for a run priced at the batch price (priceFactorOf), else null. */
export function priceNoteOf(params: Record<string, unknown> | undefined): string | null {
	return priceFactorOf(params) === BATCH_PRICE_FACTOR ? BATCH_PRICE_NOTE : null;
}
