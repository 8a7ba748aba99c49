// Every plot mark, transform and option has an example next to the schema (cells/plot-examples.ts),
// and every example is a valid plot cell over the example tables: parsed, checked for safety and
// for column names exactly as a notebook's plot cell is. A mark or transform added to the
// vocabulary without an example fails here.
import { describe, expect, it } from 'vitest';
import {
	EXAMPLE_TABLES,
	MARK_EXAMPLES,
	MARK_OPTION_EXAMPLES,
	SCALE_OPTION_EXAMPLES,
	TOP_LEVEL_EXAMPLES,
	TRANSFORM_EXAMPLES,
	type PlotExample
} from '../../../src/lib/notebook/cells/plot-examples.ts';
import { CHANNELS, MARK_CONSTANTS, MARK_TYPES, SCALES, TOP_LEVEL_OPTIONS, TRANSFORMS } from '../../../src/lib/notebook/plot-vocabulary.ts';
import { checkPlotColumns, parsePlotSpec } from '../../../src/lib/notebook/plot-spec.ts';
import { PLOT_SCHEMA, schemaAt } from '../../../src/lib/notebook/cells/schemas.ts';

const sorted = (names: Iterable<string>) => [...names].sort();
const columnsOf = (name: string) => (EXAMPLE_TABLES[name] ? Object.keys(EXAMPLE_TABLES[name].columns) : undefined);

function problems(example: PlotExample): string[] {
	const parsed = parsePlotSpec(JSON.stringify(example.spec, null, 2));
	if (!parsed.spec) return parsed.errors.map((e) => e.message);
	return checkPlotColumns({ spec: parsed.spec, positions: parsed.positions }, example.from, columnsOf).map((e) => e.message);
}

describe('plot examples', () => {
	it('cover every mark type and every transform, and nothing else', () => {
		expect(sorted(Object.keys(MARK_EXAMPLES))).toEqual(sorted(MARK_TYPES));
		expect(sorted(Object.keys(TRANSFORM_EXAMPLES))).toEqual(sorted(Object.keys(TRANSFORMS)));
	});

	it('cover every mark option, scale option and top-level option', () => {
		expect(sorted(Object.keys(MARK_OPTION_EXAMPLES))).toEqual(sorted(new Set([...CHANNELS, ...MARK_CONSTANTS])));
		const scaleKeys = Object.keys(schemaAt(PLOT_SCHEMA, ['x'])?.properties ?? {});
		expect(scaleKeys.length).toBeGreaterThan(5);
		expect(sorted(Object.keys(SCALE_OPTION_EXAMPLES))).toEqual(sorted(scaleKeys));
		expect(sorted(Object.keys(TOP_LEVEL_EXAMPLES))).toEqual(sorted(new Set([...SCALES, ...TOP_LEVEL_OPTIONS])));
	});

	it('each mark example uses its own mark type, and each transform example its transform', () => {
		for (const [type, example] of Object.entries(MARK_EXAMPLES)) {
			expect(example.spec.marks.map((m) => m.type), type).toContain(type);
		}
		for (const [name, example] of Object.entries(TRANSFORM_EXAMPLES)) {
			expect(example.spec.marks.map((m) => (m.transform as { name?: string } | undefined)?.name), name).toContain(name);
		}
	});

	it('every mark and transform example parses and names only columns of its example table', () => {
		const bad: string[] = [];
		for (const [name, example] of [...Object.entries(MARK_EXAMPLES), ...Object.entries(TRANSFORM_EXAMPLES)]) {
			expect(EXAMPLE_TABLES[example.from], `${name}: from=${example.from}`).toBeDefined();
			for (const message of problems(example)) bad.push(`${name}: ${message}`);
		}
		expect(bad).toEqual([]);
	});

	it('every option example parses in place (on its mark, in its scale, at the top level)', () => {
		const bad: string[] = [];
		const check = (what: string, spec: object) => {
			const parsed = parsePlotSpec(JSON.stringify(spec));
			for (const e of parsed.errors) bad.push(`${what}: ${e.message}`);
		};
		for (const [key, { mark, value }] of Object.entries(MARK_OPTION_EXAMPLES)) check(key, { marks: [{ type: mark ?? 'dot', [key]: value }] });
		for (const [key, { scale, value }] of Object.entries(SCALE_OPTION_EXAMPLES)) check(key, { marks: [], [scale]: { [key]: value } });
		for (const [key, value] of Object.entries(TOP_LEVEL_EXAMPLES)) check(key, { marks: [], [key]: value });
		expect(bad).toEqual([]);
	});

	it('the plot schema carries each option’s example, so the editor’s hover and completion show it', () => {
		expect(schemaAt(PLOT_SCHEMA, ['marks', '[]', 'curve'])?.examples).toEqual([MARK_OPTION_EXAMPLES.curve.value]);
		expect(schemaAt(PLOT_SCHEMA, ['marks', '[]', 'fill'])?.examples).toEqual([MARK_OPTION_EXAMPLES.fill.value]);
		expect(schemaAt(PLOT_SCHEMA, ['color', 'scheme'])?.examples).toEqual([SCALE_OPTION_EXAMPLES.scheme.value]);
		expect(schemaAt(PLOT_SCHEMA, ['marginLeft'])?.examples).toEqual([TOP_LEVEL_EXAMPLES.marginLeft]);
		for (const key of [...CHANNELS, ...MARK_CONSTANTS]) expect(schemaAt(PLOT_SCHEMA, ['marks', '[]', key])?.examples, key).toHaveLength(1);
	});

	it('the example tables have equal-length columns', () => {
		for (const [name, table] of Object.entries(EXAMPLE_TABLES)) {
			const lengths = new Set(Object.values(table.columns).map((c) => c.length));
			expect(lengths.size, name).toBe(1);
		}
	});

	it('fails for a mark example naming a missing column (the check can fail)', () => {
		const broken: PlotExample = { from: 'models', note: '', spec: { marks: [{ type: 'dot', x: 'no_such_column', y: 'repair' }] } };
		expect(problems(broken).join('\n')).toContain('no column "no_such_column"');
	});
});
