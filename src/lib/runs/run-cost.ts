// What a run's answers on disk cost: their tokens (cached answers left out, as the engine counts
// them) times the prices recorded with the run — its manifest keeps each endpoint's models with
// their `prices` (config.ts toJSON), and the model that pays is the run's `model` (generation
// runs) or `judge` (judge runs), "endpoint/model". Read from the rows, never from the manifest's
// last total, so a session that died does not freeze the cost while its tokens grow.
import type { Manifest, Price } from '../engine/manifest.ts';
import { priceFactorOf } from '../engine/batch/price-factor.ts';

/** The prices of the model a run calls, as recorded in its manifest; null when none is known. */
export function runPrice(manifest: Manifest): Price | null {
	const p = manifest.params ?? {};
	const spec = manifest.kind === 'judge' ? p.judge : p.model;
	if (typeof spec !== 'string' || spec === '') return null;
	const endpoints = (Array.isArray(manifest.endpoints) ? manifest.endpoints : []) as { name?: unknown; models?: unknown }[];
	const pricesIn = (models: unknown, model: string): Price | null => {
		if (!models || typeof models !== 'object') return null;
		const settings = (models as Record<string, { prices?: unknown }>)[model];
		const prices = settings?.prices as Partial<Price> | null | undefined;
		return prices && typeof prices.inputPer1M === 'number' && typeof prices.outputPer1M === 'number' ? { inputPer1M: prices.inputPer1M, outputPer1M: prices.outputPer1M } : null;
	};
	// "endpoint/model" (the model name may itself hold slashes), else a bare model name.
	for (const e of endpoints) {
		if (typeof e?.name === 'string' && spec.startsWith(`${e.name}/`)) {
			const price = pricesIn(e.models, spec.slice(e.name.length + 1));
			if (price) return price;
		}
	}
	for (const e of endpoints) {
		const price = pricesIn(e?.models, spec);
		if (price) return price;
	}
	return null;
}

/** USD for tokens at a price. */
export function tokensCost(tokens: { in: number; out: number }, price: Price): number {
	return (tokens.in * price.inputPer1M + tokens.out * price.outputPer1M) / 1e6;
}

/**
 * The cost of a run's answers on disk, from `rowTokens` (its rows' tokens, cache hits left out);
 * the manifest's own figure when the run's price is not known from its manifest or is higher.
 */
export function rowsCost(manifest: Manifest, rowTokens: { in: number; out: number } | null): number | null {
	const price = rowTokens ? runPrice(manifest) : null;
	// Never below the manifest's figure (rows a later answer replaced were paid too).
	// A Batch API run pays half the live price, as the engine priced it.
	return price ? Math.max(tokensCost(rowTokens!, price) * priceFactorOf(manifest.params), manifest.cost_usd ?? 0) : manifest.cost_usd;
}
