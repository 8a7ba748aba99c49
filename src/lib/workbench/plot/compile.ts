// A validated declarative plot spec (see notebook/plot-spec.ts) → an Observable Plot figure.
// Mark and transform names were checked against whitelists there; here they index into the
// Plot module. Nothing in a spec is ever evaluated as code. The names and the spec's safety
// (plot-vocabulary.ts plotSafetyErrors) are checked again here, and the drawn figure is
// sanitized before it reaches the page (sanitize.ts): values from data are only known now.
import * as Plot from '@observablehq/plot';
import type { ResultTable } from '../../notebook/executor.ts';
import { plottable } from './plottable.ts';
import type { PlotSpec } from '../../notebook/plot-spec.ts';
import { DECORATION_MARKS, MARK_TYPES, TRANSFORMS, plotSafetyErrors } from '../../notebook/plot-vocabulary.ts';
import { keepSanitized } from './sanitize.ts';
import { repelLabels } from './repel.ts';
import { autoLeftAxis, measureAxisText } from './margin.ts';

type Factory = (data: unknown, options: Record<string, unknown>) => Plot.Markish;
type Transform = (...args: Record<string, unknown>[]) => Record<string, unknown>;

const TEXT_MARKS = new Set(['text', 'textX', 'textY']);

export function compilePlot(
	spec: PlotSpec,
	tableFor: (name: string | undefined) => ResultTable | undefined,
	width: number
): SVGSVGElement | HTMLElement {
	const unsafe = plotSafetyErrors(spec);
	if (unsafe.length) throw new Error(`${unsafe[0].path}: ${unsafe[0].message}`);
	const { marks, ...options } = spec;
	const compiled = marks.map(({ type, data, transform, repel, ...plotOptions }) => {
		// "repel": true on a text mark places its labels without collisions (plot/repel.ts).
		const markOptions: Record<string, unknown> = repel === true && TEXT_MARKS.has(type) ? { ...plotOptions, render: repelLabels } : plotOptions;
		if (!MARK_TYPES.has(type)) throw new Error(`unknown mark type "${type}"`);
		if (transform && !Object.prototype.hasOwnProperty.call(TRANSFORMS, transform.name)) throw new Error(`unknown transform "${transform.name}"`);
		const factory = (Plot as unknown as Record<string, Factory>)[type];
		let channels: Record<string, unknown> = markOptions;
		if (transform) {
			const apply = (Plot as unknown as Record<string, Transform>)[transform.name];
			const options = { ...(transform.options ?? {}), ...markOptions };
			// group/bin/map take (outputs, options); stack/normalize/window/dodge/select take (options).
			channels =
				TRANSFORMS[transform.name] === 'outputs' ? apply(transform.outputs ?? {}, options) : apply(options);
		}
		// A decoration without data takes its options as its only argument: Plot's axis and grid
		// marks read a second argument, even an undefined one, as (data, options), which would
		// drop every option (anchor, label, ticks) and draw no tick at all.
		if (DECORATION_MARKS.has(type) && !data) return (factory as unknown as (options: unknown) => Plot.Markish)(channels);
		if (Array.isArray(data)) return factory(data, channels); // inline literals, e.g. ruleX([0])
		const table = tableFor(data);
		return factory(table ? plottable(table) : [], channels);
	});
	// Room for long y labels when the spec gives no left margin; above the cap they are shortened
	// with "…", and each shortened tick keeps its full label as a tooltip (plot/margin.ts).
	const left = autoLeftAxis(spec, tableFor, measureAxisText);
	const shortened = new Map<string, string[]>();
	const shorten = left?.shorten;
	const y = shorten
		? {
				y: {
					...((options.y as Record<string, unknown> | undefined) ?? {}),
					tickFormat: (value: unknown) => {
						if (typeof value !== 'string') return value;
						const short = shorten(value);
						if (short !== value) shortened.set(short, [...(shortened.get(short) ?? []), value]);
						return short;
					}
				}
			}
		: {};
	const figure = Plot.plot({ width, ...(left ? { marginLeft: left.marginLeft } : {}), ...options, ...y, marks: compiled } as Plot.PlotOptions);
	if (shortened.size) titleShortenedTicks(figure, shortened);
	keepSanitized(figure, document.baseURI);
	return figure;
}

/** A <title> (the full label) on each y tick label that was shortened, in the order Plot drew them. */
function titleShortenedTicks(figure: Element, shortened: Map<string, string[]>): void {
	const next = new Map<string, number>();
	for (const text of figure.querySelectorAll('g[aria-label="y-axis tick label"] text')) {
		const full = shortened.get(text.textContent ?? '');
		if (!full) continue;
		const at = next.get(text.textContent ?? '') ?? 0;
		next.set(text.textContent ?? '', at + 1);
		const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
		title.textContent = full[Math.min(at, full.length - 1)];
		text.append(title);
	}
}
