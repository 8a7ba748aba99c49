// Importing the real benchmark from ../shared/coveval (read at run time, never copied).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dataImportCommand } from '../../../../src/cli/commands/data.ts';
import { countItems } from '../../../../src/lib/core/items/counts.ts';
import { readItemsArrow } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { loadItemsFromFolder } from '../../../../src/lib/node/coveval/load-items.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const shared = resolve(repoRoot, '../shared/coveval');
const missing = !existsSync(shared);
if (missing) console.warn(`skipping shared-data import tests: ${shared} is absent`);

describe.skipIf(missing)('import of ../shared/coveval', () => {
	const out = mkdtempSync(join(tmpdir(), 'covw-import-'));
	afterAll(() => rmSync(out, { recursive: true, force: true }));

	it('finds the published number of items per task, set and language', async () => {
		const loaded = await loadItemsFromFolder(shared);
		const counts = countItems(loaded.items);
		expect(counts.byTask).toEqual({ completion: 324, repair: 477, detection: 531, reference: 1087 });
		expect(counts.bySet).toEqual({ seed: 54, 'vul-evol': 270, repair: 477, detection: 531, pearce: 1087 });
		// Language splits as stated in shared/coveval/SOURCES.md.
		expect(counts.byLanguage.c).toEqual({ completion: 25 + 125, repair: 258, detection: 477 - 219 + 24, reference: expect.any(Number) });
		expect(counts.byLanguage.python.completion).toBe(29 + 145);
		// 15 Vul-Evol + 3 seed completion items per CWE (3 scenarios each).
		for (const perTask of Object.values(counts.byCwe)) expect(perTask.completion).toBe(18);
		expect(loaded.skipped).toEqual({ 'train-set': 1350, 'pearce-scenario': 54 });
		expect(loaded.duplicates).toBe(0);
	});

	it('labels detection and reference items as the data does', async () => {
		const { items } = await loadItemsFromFolder(shared);
		const detection = items.filter((i) => i.task === 'detection');
		expect(detection.filter((i) => i.label === 'vulnerable')).toHaveLength(477);
		expect(detection.filter((i) => i.label_class === 'non_vulnerable')).toHaveLength(54);
		const reference = items.filter((i) => i.task === 'reference');
		expect(reference.filter((i) => i.label === 'vulnerable')).toHaveLength(477);
		expect(reference.filter((i) => i.label === 'non_vulnerable')).toHaveLength(610);
		expect(new Set(items.map((i) => i.item_id)).size).toBe(items.length);
	});

	it('strips the Vul-Evol fences but keeps the completion marker', async () => {
		const { items } = await loadItemsFromFolder(shared);
		const evol = items.filter((i) => i.set === 'vul-evol');
		expect(evol.every((i) => !i.code.includes('```'))).toBe(true);
		// SOURCES.md: 269 of the 270 files carry the marker (one variant lost it upstream).
		expect(evol.filter((i) => i.code.includes('-copilot next line-'))).toHaveLength(269);
		const first = items.find((i) => i.item_id === 'completion/vul-evol/CWE-119/codeql-eg-OverflowBuffer/0');
		expect(first?.code.startsWith('#include')).toBe(true);
		expect(first?.source).toBe('datasets/CoV-Eval_v1/code_completion_task/cwe-119/codeql-eg-OverflowBuffer/0_scenario.c');
	});

	it('covw data import writes a readable Arrow stream and reports matching counts', async () => {
		let stdout = '';
		const status = await dataImportCommand.run({
			args: [shared, '--out', out],
			root: repoRoot,
			cwd: repoRoot,
			stdout: (t) => (stdout += t),
			stderr: () => {},
			isTTY: false,
			env: () => undefined
		});
		expect(status).toBe(0);
		expect(stdout).toContain('All counts match the complete benchmark.');
		expect(stdout).not.toContain('MISMATCH');
		const items = await readItemsArrow(join(out, 'items.arrow'));
		expect(items).toHaveLength(324 + 477 + 531 + 1087);
		const meta = JSON.parse(readFileSync(join(out, 'items.meta.json'), 'utf8'));
		expect(meta.items).toBe(items.length);
		// The Arrow stream format starts with a continuation marker (0xFFFFFFFF), not the file magic "ARROW1".
		const head = readFileSync(join(out, 'items.arrow')).subarray(0, 6);
		expect(head.toString('latin1')).not.toBe('ARROW1');
		expect([...head.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
	});
});
