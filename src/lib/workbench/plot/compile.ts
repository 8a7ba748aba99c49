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
import { autoMarginLeft, measureAxisText } from './margin.ts';

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
	// Room for long y labels when the spec gives no left margin (plot/margin.ts).
	const marginLeft = autoMarginLeft(spec, tableFor, measureAxisText);
	const figure = Plot.plot({ width, ...(marginLeft !== undefined ? { marginLeft } : {}), ...options, marks: compiled } as Plot.PlotOptions);
	keepSanitized(figure, document.baseURI);
	return figure;
}
