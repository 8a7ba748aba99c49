import { describe, expect, it } from 'vitest';
import { sanitizeIdentifier, tableNameFor } from '../../../../src/lib/node/datasets/table-name.ts';

describe('tableNameFor', () => {
	it('names the paper tables by number', () => {
		expect(tableNameFor('paper/table1_main_results.csv')).toBe('paper_table1');
		expect(tableNameFor('paper/table9_judge_templates.csv')).toBe('paper_table9');
		expect(tableNameFor('paper/table12.csv')).toBe('paper_table12');
		expect(tableNameFor('paper/models.csv')).toBe('paper_models');
	});

	it('applies the paper rule only directly inside paper/', () => {
		expect(tableNameFor('table1_main_results.csv')).toBe('table1_main_results');
		expect(tableNameFor('mine/paper/table1_x.csv')).toBe('table1_x');
		expect(tableNameFor('paper/sub/table1_x.csv')).toBe('table1_x');
		expect(tableNameFor('paper/tables_overview.csv')).toBe('tables_overview');
		expect(tableNameFor('paper/notes.jsonl')).toBe('notes');
	});

	it('uses the stem of every other file, whatever its folder', () => {
		expect(tableNameFor('coveval/items.arrow')).toBe('items');
		expect(tableNameFor('runs/2024/verdicts.jsonl')).toBe('verdicts');
		expect(tableNameFor('x.tar.csv')).toBe('x_tar');
	});

	it('lower-cases, replaces other characters and guards a leading digit', () => {
		expect(sanitizeIdentifier('My Results (v2)')).toBe('my_results__v2_');
		expect(sanitizeIdentifier('2024-runs')).toBe('t_2024_runs');
		expect(sanitizeIdentifier('Ünïcode')).toBe('_n_code');
		expect(sanitizeIdentifier('')).toBe('t_');
		expect(tableNameFor('data/GPT-4o.Verdicts.csv')).toBe('gpt_4o_verdicts');
	});
});
