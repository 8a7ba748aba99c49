// Helpers for engine tests: a config pointing at the test double, and generic work units with
// our own made-up prompts (no benchmark data).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EngineConfig, parseEngineConfig } from '../../src/lib/engine/config.ts';
import { unitId } from '../../src/lib/engine/canonical-json.ts';
import type { WorkUnit } from '../../src/lib/engine/types.ts';

export const TEST_KEY = 'sk-test-3f9a1c77e2b54d0a9c1e';

export interface EndpointOverrides {
	concurrency?: number;
	timeoutMs?: number;
	maxAttempts?: number;
	stream?: boolean;
	prices?: { inputPer1M: number; outputPer1M: number };
}

export function testConfig(baseURL: string, o: EndpointOverrides = {}): EngineConfig {
	const text = JSON.stringify(
		{
			endpoints: {
				local: {
					baseURL,
					apiKeyEnv: 'COVW_TEST_KEY',
					concurrency: o.concurrency ?? 4,
					timeoutMs: o.timeoutMs ?? 2000,
					maxAttempts: o.maxAttempts ?? 4,
					stream: o.stream ?? false,
					models: { 'test-model': o.prices ? { prices: o.prices } : {} }
				}
			}
		},
		null,
		2
	);
	return parseEngineConfig(text, 'test.covw.config.json', { COVW_TEST_KEY: TEST_KEY });
}

/** n items × samples units, each asking about a made-up snippet. */
export function testUnits(n: number, samples = 1, endpoint = 'local'): WorkUnit[] {
	const units: WorkUnit[] = [];
	for (let i = 0; i < n; i++) {
		for (let s = 0; s < samples; s++) {
			const request = {
				model: 'test-model',
				messages: [{ role: 'user' as const, content: `Write a function that adds ${i} to its argument.` }],
				temperature: 0.6,
				top_p: 0.9,
				max_tokens: 64
			};
			units.push({
				id: unitId({ task: 'test', item: `item-${i}`, model: 'test-model', params: { t: 0.6 }, sample: s }),
				endpoint,
				request,
				sample: s,
				meta: { item_id: `item-${i}`, model: 'test-model' }
			});
		}
	}
	return units;
}

export function tempDir(prefix = 'covw-engine-'): { path: string; remove: () => void } {
	const path = mkdtempSync(join(tmpdir(), prefix));
	return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
