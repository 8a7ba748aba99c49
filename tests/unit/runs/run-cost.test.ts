// The cost of a run's answers on disk: rows' tokens × the price its manifest recorded, half for
// a Batch API run (as the engine prices it), never below the manifest's own figure.
import { describe, expect, it } from 'vitest';
import { rowsCost, runPrice } from '../../../src/lib/runs/run-cost.ts';
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
