// The cost of a run's answers on disk: rows' tokens × the price its manifest recorded, half for
// a Batch API run (as the engine prices it), never below the manifest's own figure.
import { describe, expect, it } from 'vitest';
import { rowsCost, runCost, runPrice, type CostPart } from '../../../src/lib/runs/run-cost.ts';
import { totalCost } from '../../../src/lib/workbench/runs/run-format.ts';
import type { Manifest } from '../../../src/lib/engine/manifest.ts';

function manifest(params: Record<string, unknown>, cost_usd: number | null = null): Manifest {
	return {
		kind: 'generation',
		params,
		cost_usd,
		endpoints: [{ name: 'api', models: { 'org/m': { prices: { inputPer1M: 2, outputPer1M: 8 } } } }]
	} as unknown as Manifest;
}
const tokens = { in: 1_000_000, out: 500_000 };

describe('rowsCost', () => {
	it('prices a live run at the recorded price, the model named endpoint/model with slashes', () => {
		expect(runPrice(manifest({ model: 'api/org/m' }))).toEqual({ inputPer1M: 2, outputPer1M: 8 });
		expect(rowsCost(manifest({ model: 'api/org/m' }), tokens)).toBeCloseTo(6);
	});
	it('prices a Batch API run at half, as the engine does; a vLLM export at the full price', () => {
		expect(rowsCost(manifest({ model: 'api/org/m', batch: true }), tokens)).toBeCloseTo(3);
		expect(rowsCost(manifest({ model: 'api/org/m', batch: 'vllm' }), tokens)).toBeCloseTo(6);
	});
	it('never reports less than the manifest, and the manifest when no price is known', () => {
		expect(rowsCost(manifest({ model: 'api/org/m' }, 10), tokens)).toBe(10);
		expect(rowsCost(manifest({ model: 'other/x' }, 0.5), tokens)).toBe(0.5);
		expect(rowsCost(manifest({ model: 'api/org/m' }, 0.25), null)).toBe(0.25);
	});
});

/** A judge run's manifest: `judge` answered at the prices its endpoints recorded. */
function judgeManifest(judge: string, endpoints: unknown[], extra: Record<string, unknown> = {}, cost_usd: number | null = null): Manifest {
	return { kind: 'judge', run_id: `judge-${judge}`, params: { kind: 'judge', judge, ...extra }, cost_usd, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, endpoints } as unknown as Manifest;
}
const endpointsAB = [
	{ name: 'a', models: { m1: { prices: { inputPer1M: 2, outputPer1M: 8 } } } },
	{ name: 'b', models: { m2: { prices: { inputPer1M: 10, outputPer1M: 30 } }, free: {} } }
];

describe('runCost of an ensemble over several priced LLM models', () => {
	const ensemble = (members: string[]) =>
		judgeManifest(`ensemble:majority:${members.join('+')}`, [], { rule: 'majority', members: members.map((judge) => ({ judge, run: `run-${judge}` })) });
	const parts = new Map<string, CostPart>([
		['run-a/m1', { manifest: judgeManifest('a/m1', endpointsAB), rowTokens: { in: 1_000_000, out: 100_000 } }],
		['run-b/m2', { manifest: judgeManifest('b/m2', endpointsAB), rowTokens: { in: 200_000, out: 10_000 } }],
		['run-b/free', { manifest: judgeManifest('b/free', endpointsAB), rowTokens: { in: 5_000, out: 500 } }],
		['run-rules', { manifest: judgeManifest('rules', []), rowTokens: { in: 0, out: 0 } }]
	]);
	const lookup = (id: string) => parts.get(id) ?? null;

	it('prices each member\'s rows with that member\'s model and recorded price, and sums them', () => {
		// a/m1: 1M in × $2 + 0.1M out × $8 = 2.8; b/m2: 0.2M × $10 + 0.01M × $30 = 2.3; rules: no call.
		const cost = runCost(ensemble(['a/m1', 'b/m2', 'rules']), { in: 0, out: 0 }, lookup);
		expect(cost.why).toBeNull();
		expect(cost.usd).toBeCloseTo(5.1);
		// Before: the ensemble's own manifest figure (it calls no model itself), null with no reason.
		expect(rowsCost(ensemble(['a/m1', 'b/m2']), { in: 0, out: 0 })).toBeNull();
	});

	it('says "—" with the reason when one member\'s price is unknown, never the others\' sum alone', () => {
		const cost = runCost(ensemble(['a/m1', 'b/free']), { in: 0, out: 0 }, lookup);
		expect(cost.usd).toBeNull();
		expect(cost.why).toMatch(/^member b\/free: no price recorded for b\/free .*\(run run-b\/free\)$/);
		expect(runCost(ensemble(['a/m1', 'x/gone']), { in: 0, out: 0 }, lookup)).toEqual({ usd: null, why: 'member x/gone: its run run-x/gone is not in the runs folder' });
		expect(runCost(ensemble(['a/m1', 'b/m2']), { in: 0, out: 0 }).usd).toBeNull();
	});

	it('a single-model run: its price, or "—" with the reason when it paid at no known price', () => {
		expect(runCost(judgeManifest('a/m1', endpointsAB), { in: 1_000_000, out: 0 })).toEqual({ usd: 2, why: null });
		expect(runCost(judgeManifest('b/free', endpointsAB), { in: 10, out: 10 })).toEqual({ usd: null, why: 'no price recorded for b/free (covw.config.json "prices")' });
		expect(runCost(judgeManifest('rules', []), { in: 0, out: 0 })).toEqual({ usd: null, why: null });
	});

	it('a run cell\'s total is "—" with the reason when one of its runs\' price is unknown', () => {
		expect(totalCost([{ run_id: 'g', cost_usd: 1.5, cost_why: null }, { run_id: 'j', cost_usd: 2, cost_why: null }])).toEqual({ usd: 3.5, why: null });
		expect(totalCost([{ run_id: 'g', cost_usd: 1.5, cost_why: null }, { run_id: 'j', cost_usd: null, cost_why: 'no price recorded for b/free' }])).toEqual({ usd: null, why: 'j: no price recorded for b/free' });
		expect(totalCost([{ run_id: 'g', cost_usd: null, cost_why: null }])).toEqual({ usd: null, why: null });
	});
});
