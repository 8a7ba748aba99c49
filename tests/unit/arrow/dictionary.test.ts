import { describe, expect, it } from 'vitest';
import { Dictionary, Utf8, vectorFromArray } from 'apache-arrow';
import { maybeDictionaryEncode } from '../../../src/lib/arrow/dictionary.ts';
import { parseDataFile } from '../../../src/lib/node/datasets/index.ts';
import { createHeadlessEngine } from '../../../src/lib/node/headless/engine.ts';
import { tableToIPC } from 'apache-arrow';

const plain = (values: (string | null)[]) => vectorFromArray(values, new Utf8()).data[0];

describe('maybeDictionaryEncode', () => {
	it('encodes a repetitive text column and keeps every value and null', () => {
		const values = Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? null : `model-${i % 7}`));
		const encoded = maybeDictionaryEncode(plain(values));
		expect(encoded.type).toBeInstanceOf(Dictionary);
		const decoded = Array.from({ length: values.length }, (_, i) => (encoded.getValid(i) ? encoded.dictionary!.get(encoded.values[i]) : null));
		expect(decoded).toEqual(values);
	});

	it('leaves small or mostly distinct columns plain', () => {
		expect(maybeDictionaryEncode(plain(['a', 'a', 'b'])).type).toBeInstanceOf(Utf8);
		const distinct = Array.from({ length: 5000 }, (_, i) => `id-${i}`);
		expect(maybeDictionaryEncode(plain(distinct)).type).toBeInstanceOf(Utf8);
	});

	it('reaches DuckDB as VARCHAR with the same values', async () => {
		const lines = ['model,cwe,score'];
		for (let i = 0; i < 3000; i++) lines.push(`m${i % 3},CWE-${[79, 89, 787][i % 3]},${i}`);
		const table = parseDataFile(new TextEncoder().encode(lines.join('\n') + '\n'), 'csv', 'verdicts.csv');
		expect(table.schema.fields.find((f) => f.name === 'model')!.type).toBeInstanceOf(Dictionary);
		const engine = await createHeadlessEngine();
		try {
			engine.loadArrowTable('verdicts', tableToIPC(table, 'stream'));
			const types = await engine.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'verdicts' AND column_name = 'model'");
			expect(String(types.getChild('data_type')!.get(0))).toBe('VARCHAR');
			const counts = await engine.query("SELECT model, cwe, count(*)::INT AS n FROM verdicts GROUP BY ALL ORDER BY model");
			const rows = Array.from({ length: counts.numRows }, (_, i) => ({
				model: counts.getChild('model')!.get(i),
				cwe: counts.getChild('cwe')!.get(i),
				n: counts.getChild('n')!.get(i)
			}));
			expect(rows).toEqual([
				{ model: 'm0', cwe: 'CWE-79', n: 1000 },
				{ model: 'm1', cwe: 'CWE-89', n: 1000 },
				{ model: 'm2', cwe: 'CWE-787', n: 1000 }
			]);
		} finally {
			engine.close();
		}
	});
});
