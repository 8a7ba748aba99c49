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

/** A token total a manifest may hold: a whole number from 0 up. */
const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * The manifest's own cost figure, when it can be believed: null when its token totals are no
 * counts or the figure is negative or not finite (a hostile run folder's, or one written before
 * usage was checked: "$1.35e+296" came from totals of 5.4e+301 tokens).
 */
export function manifestCost(manifest: Manifest): number | null {
	const t = manifest.tokens ?? {};
	const c = manifest.cost_usd;
	// (A total not there at all is no evidence against it.)
	if (![t.in, t.out, t.cached_in, t.cached_out].every((n) => n === undefined || isCount(n))) return null;
	return c === null || c === undefined || (Number.isFinite(c) && c >= 0) ? (c ?? null) : null;
}

/**
 * The cost of a run's answers on disk, from `rowTokens` (its rows' tokens, cache hits left out);
 * the manifest's own figure (manifestCost) when the run's price is not known from its manifest or is higher.
 */
export function rowsCost(manifest: Manifest, rowTokens: { in: number; out: number } | null): number | null {
	const price = rowTokens ? runPrice(manifest) : null;
	const recorded = manifestCost(manifest);
	// Never below the manifest's figure (rows a later answer replaced were paid too).
	// A Batch API run pays half the live price, as the engine priced it.
	return price ? Math.max(tokensCost(rowTokens!, price) * priceFactorOf(manifest.params), recorded ?? 0) : recorded;
}

/** A run's cost, or why it is not known ("—" and the reason; never a wrong total). */
export interface RunCost {
	usd: number | null;
	/** Why `usd` is null; null when it is known, or when the run made no paid call at all. */
	why: string | null;
	/** An ensemble's: rows of its member runs whose usage is implausible (engine/types.ts usageImplausible) — its cost is theirs, and may be inflated; absent when none. */
	membersImplausible?: number;
}

/** A run another run's cost is made of (an ensemble's members): its manifest and its rows' tokens (cache hits left out). */
export interface CostPart {
	manifest: Manifest;
	rowTokens: { in: number; out: number };
	/** Its rows whose usage is implausible (engine/types.ts usageImplausible); 0 when not given. */
	usageImplausible?: number;
}

/** The member runs an ensemble run read ({judge, run} in its params); null for any other run. */
export function ensembleMembers(manifest: Manifest): { judge: string; run: string }[] | null {
	const members = manifest.kind === 'judge' ? manifest.params?.members : undefined;
	if (!Array.isArray(members)) return null;
	return members.filter((m): m is { judge: string; run: string } => !!m && typeof m.judge === 'string' && typeof m.run === 'string');
}

/**
 * What a run cost. An engine run: its rows' tokens at the price of the model that answered them,
 * as recorded in its manifest (rowsCost). An ensemble run calls no model itself: its verdicts are
 * its member runs' — so each member's rows are priced by that member's own model and recorded
 * price, and the ensemble costs their sum. A member that made paid calls at no known price, or a
 * member run not found, makes the whole "—" with the reason: a sum without it would be wrong.
 * Members that call no model (rules, analyzers) cost nothing.
 */
export function runCost(manifest: Manifest, rowTokens: { in: number; out: number } | null, memberRun?: (runId: string) => CostPart | null): RunCost {
	const members = ensembleMembers(manifest);
	if (members === null) {
		const usd = rowsCost(manifest, rowTokens);
		if (usd !== null) return { usd, why: null };
		const tokens = rowTokens ?? manifest.tokens;
		const spec = manifest.params?.judge ?? manifest.params?.model;
		return { usd: null, why: tokens && tokens.in + tokens.out > 0 ? `no price recorded for ${typeof spec === 'string' ? spec : 'its model'} (covw.config.json "prices")` : null };
	}
	if (!memberRun) return { usd: null, why: 'an ensemble: its cost is its member runs\', which were not read here' };
	// Rows of the members whose usage is implausible: whatever the cost comes to, theirs may be inflated.
	const implausible = members.reduce((n, m) => n + (memberRun(m.run)?.usageImplausible ?? 0), 0);
	const membersImplausible = implausible > 0 ? { membersImplausible: implausible } : {};
	let usd = 0;
	for (const m of members) {
		const part = memberRun(m.run);
		if (!part) return { usd: null, why: `member ${m.judge}: its run ${m.run} is not in the runs folder`, ...membersImplausible };
		// No paid call: a rule judge, an analyzer, every answer cached.
		if (part.rowTokens.in + part.rowTokens.out === 0 && !(manifestCost(part.manifest) ?? 0)) continue;
		const cost = runCost(part.manifest, part.rowTokens);
		if (cost.usd === null) return { usd: null, why: `member ${m.judge}: ${cost.why ?? 'no price recorded'} (run ${m.run})`, ...membersImplausible };
		usd += cost.usd;
	}
	return { usd, why: null, ...membersImplausible };
}
