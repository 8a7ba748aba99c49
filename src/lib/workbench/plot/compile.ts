// A validated declarative plot spec (see notebook/plot-spec.ts) → an Observable Plot figure.
// Mark and transform names were checked against whitelists there; here they index into the
// Plot module. Nothing in a spec is ever evaluated as code.
import * as Plot from '@observablehq/plot';
import type { ResultTable } from '../../notebook/executor.ts';
import { plottable } from './plottable.ts';
import type { PlotSpec } from '../../notebook/plot-spec.ts';
import { TRANSFORMS } from '../../notebook/plot-vocabulary.ts';

type Factory = (data: unknown, options: Record<string, unknown>) => Plot.Markish;
type Transform = (...args: Record<string, unknown>[]) => Record<string, unknown>;

const DECORATIONS = new Set(['frame', 'gridX', 'gridY', 'axisX', 'axisY', 'axisFx', 'axisFy']);

export function compilePlot(
	spec: PlotSpec,
	tableFor: (name: string | undefined) => ResultTable | undefined,
	width: number
): SVGSVGElement | HTMLElement {
	const { marks, ...options } = spec;
	const compiled = marks.map(({ type, data, transform, ...markOptions }) => {
		const factory = (Plot as unknown as Record<string, Factory>)[type];
		let channels: Record<string, unknown> = markOptions;
		if (transform) {
			const apply = (Plot as unknown as Record<string, Transform>)[transform.name];
			const options = { ...(transform.options ?? {}), ...markOptions };
			// group/bin/map take (outputs, options); stack/normalize/window/dodge/select take (options).
			channels =
				TRANSFORMS[transform.name] === 'outputs' ? apply(transform.outputs ?? {}, options) : apply(options);
		}
		if (DECORATIONS.has(type) && !data) return factory(channels as never, undefined as never);
		if (Array.isArray(data)) return factory(data, channels); // inline literals, e.g. ruleX([0])
		const table = tableFor(data);
		return factory(table ? plottable(table) : [], channels);
	});
	return Plot.plot({ width, ...options, marks: compiled } as Plot.PlotOptions);
}
