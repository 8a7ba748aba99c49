// The JSON Schemas that drive the editor's help say what the parsers accept: every key a schema
// offers is a key its parser knows, and every enum value it offers parses.
import { describe, expect, it } from 'vitest';
import { PLOT_SCHEMA, RUN_SCHEMA, STATS_SCHEMA, schemaAt } from '../../../src/lib/notebook/cells/schemas.ts';
import { parsePlotSpec } from '../../../src/lib/notebook/plot-spec.ts';
import { parseStatsSpec } from '../../../src/lib/notebook/stats-cell.ts';
import { parseRunSpec } from '../../../src/lib/notebook/run-spec.ts';

const unknownKey = (errors: { message: string }[]) => errors.filter((e) => /unknown (field|option|top-level option)/.test(e.message));

describe('spec schemas', () => {
	it('offer only keys the stats and run parsers know', () => {
		for (const key of Object.keys(STATS_SCHEMA.properties!)) {
			expect(unknownKey(parseStatsSpec(JSON.stringify({ method: 'spearman', [key]: 1 })).errors), key).toEqual([]);
		}
		for (const key of Object.keys(RUN_SCHEMA.properties!)) {
			expect(unknownKey(parseRunSpec(JSON.stringify({ task: 'completion', model: 'm', [key]: 1 })).errors), key).toEqual([]);
		}
	});

	it('offer only plot options and mark options the plot parser knows', () => {
		for (const key of Object.keys(PLOT_SCHEMA.properties!).filter((k) => k !== 'marks')) {
			expect(unknownKey(parsePlotSpec(JSON.stringify({ marks: [], [key]: 1 })).errors), key).toEqual([]);
		}
		const mark = schemaAt(PLOT_SCHEMA, ['marks', '[]'])!;
		for (const key of Object.keys(mark.properties!).filter((k) => !['type', 'data', 'transform'].includes(k))) {
			expect(unknownKey(parsePlotSpec(JSON.stringify({ marks: [{ type: 'dot', [key]: 1 }] })).errors), key).toEqual([]);
		}
		for (const type of mark.properties!.type.enum!) {
			expect(parsePlotSpec(JSON.stringify({ marks: [{ type }] })).errors.filter((e) => e.message.includes('unknown mark type'))).toEqual([]);
		}
	});

	it('offer enum values the parsers accept', () => {
		for (const method of STATS_SCHEMA.properties!.method.enum!) expect(parseStatsSpec(JSON.stringify({ method, columns: ['a', 'b'] })).errors).toEqual([]);
		// Each task with the field it needs: a model, or (self-detection, self-repair) the cell it starts from.
		for (const task of RUN_SCHEMA.properties!.task.enum!) {
			const spec = String(task).startsWith('self-') ? { task, from: 'gen' } : { task, model: 'm' };
			expect(parseRunSpec(JSON.stringify(spec)).errors, String(task)).toEqual([]);
		}
		for (const strategy of schemaAt(RUN_SCHEMA, ['strategies', '[]'])!.enum!) {
			expect(parseRunSpec(JSON.stringify({ task: 'evolve', model: 'm', strategies: [strategy] })).errors).toEqual([]);
		}
		for (const secure of RUN_SCHEMA.properties!.secure.enum!) expect(parseRunSpec(JSON.stringify({ task: 'evolve', model: 'm', secure })).errors).toEqual([]);
		for (const template of RUN_SCHEMA.properties!.template.enum!) {
			expect(parseRunSpec(JSON.stringify({ task: 'completion', model: 'm', judge: 'rules', template })).errors).toEqual([]);
		}
	});

	it('find the schema at a path, through arrays and transforms', () => {
		expect(schemaAt(PLOT_SCHEMA, ['marks', '[]', 'transform', 'name'])?.enum).toContain('groupX');
		expect(schemaAt(PLOT_SCHEMA, ['marks', '[]', 'transform', 'outputs', 'y'])?.enum).toContain('count');
		expect(schemaAt(RUN_SCHEMA, ['cwe', '[]'])?.enum).toContain('CWE-79');
		expect(schemaAt(RUN_SCHEMA, ['nope'])).toBeUndefined();
	});
});
