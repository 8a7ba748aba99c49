// The built-in notebooks' figures keep readable as judges are added (the new-user trial: with 7
// judges a fixed-height per-CWE figure overprinted its labels, judge names were clipped at the
// left and slanted-free x labels collided). Judge names come from data, so their count and
// length are unknown when a spec is written:
//   - judges down the y axis (or as row facets): no fixed height — Plot's automatic height gives
//     each row its own band — and a left margin wide enough for a long name;
//   - judges along the x axis: slanted tick labels with room for them below.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';
import { parsePlotSpec, type PlotSpec } from '../../../src/lib/notebook/plot-spec.ts';

const dir = resolve(import.meta.dirname, '../../../notebooks');
/** Columns that hold judge (evaluator) names in the built-in notebooks. */
const JUDGE_COLUMNS = new Set(['evaluator', 'judge', 'group', 'row_label', 'comparison', 'reference', 'repair_judge']);

function plots(): { where: string; spec: PlotSpec }[] {
	const out: { where: string; spec: PlotSpec }[] = [];
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
		for (const cell of parseNotebook(readFileSync(join(dir, file), 'utf8')).cells) {
			if (cell.kind !== 'plot') continue;
			const { spec } = parsePlotSpec(cell.source);
			expect(spec, `${file} ${cell.id}`).not.toBeNull();
			out.push({ where: `${file} ${cell.id}`, spec: spec! });
		}
	}
	return out;
}

const channel = (spec: PlotSpec, name: string) => spec.marks.some((m) => typeof m[name] === 'string' && JUDGE_COLUMNS.has(m[name] as string));
const scale = (spec: PlotSpec, name: string) => (spec[name] ?? {}) as Record<string, unknown>;

describe('built-in notebook figures scale with the number of judges', () => {
	const all = plots();
	it('finds the figures', () => expect(all.length).toBeGreaterThan(8));

	it('judges on y (or fy): no fixed height, and a left margin for long names', () => {
		const bad = all
			.filter(({ spec }) => channel(spec, 'y') || channel(spec, 'fy'))
			.filter(({ spec }) => spec.height !== undefined || !(Number(spec.marginLeft) >= 200))
			.map(({ where, spec }) => `${where}: height ${String(spec.height)}, marginLeft ${String(spec.marginLeft)}`);
		expect(bad).toEqual([]);
	});

	it('judges on x: slanted tick labels with room below', () => {
		const bad = all
			.filter(({ spec }) => channel(spec, 'x'))
			.filter(({ spec }) => !(Math.abs(Number(scale(spec, 'x').tickRotate)) >= 20) || !(Number(spec.marginBottom) >= 100))
			.map(({ where, spec }) => `${where}: tickRotate ${String(scale(spec, 'x').tickRotate)}, marginBottom ${String(spec.marginBottom)}`);
		expect(bad).toEqual([]);
	});

	it('no line runs along a judge axis: judges are categories with no order between them', () => {
		const bad = all
			.filter(({ spec }) => spec.marks.some((m) => /^line/.test(String(m.type)) && ['x', 'y'].some((k) => typeof m[k] === 'string' && JUDGE_COLUMNS.has(m[k] as string))))
			.map(({ where }) => where);
		expect(bad).toEqual([]);
	});
});
