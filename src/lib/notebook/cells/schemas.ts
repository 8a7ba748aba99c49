// JSON Schemas (the subset the editor needs: type, description, properties, items, enum, examples)
// of the JSON cell kinds' specs: plot, stats and run. Written once, from the same vocabularies the
// parsers check against (plot-vocabulary.ts, core/vocabulary.ts), so help and validation cannot
// disagree. The editor's autocomplete and hover docs and the /reference page read these.
import { CWE_IDS, ITEM_SETS, JUDGE_STYLES, LANGUAGES } from '../../core/vocabulary.ts';
import { EVOLVE_STRATEGIES, STRATEGY_SUMMARY } from '../../core/evolve/strategies.ts';
import { RUN_TASKS, SECURE_METHODS } from '../run-spec.ts';
import { MAX_LIMIT, MAX_SAMPLES } from '../../core/run-bounds.ts';
import { CHANNELS, MARK_CONSTANTS, MARK_TYPES, REDUCERS, SCALES, TOP_LEVEL_OPTIONS, TRANSFORMS } from '../plot-vocabulary.ts';
import { MARK_OPTION_EXAMPLES, SCALE_OPTION_EXAMPLES, TOP_LEVEL_EXAMPLES } from './plot-examples.ts';

/** The one-line example of an option (plot-examples.ts), as JSON Schema `examples`: hover docs and completions show it. */
const exampleOf = (value: unknown): Pick<JsonSchema, 'examples'> => (value === undefined ? {} : { examples: [value] });

export interface JsonSchema {
	type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | Array<'string' | 'number' | 'boolean'>;
	description?: string;
	properties?: Record<string, JsonSchema>;
	/** The schema of keys not listed in properties (false: none allowed). */
	additionalProperties?: JsonSchema | false;
	items?: JsonSchema;
	enum?: readonly (string | number | boolean)[];
	examples?: readonly unknown[];
	minimum?: number;
	maximum?: number;
	required?: readonly string[];
}

const sorted = (names: Iterable<string>) => [...names].sort((a, b) => a.localeCompare(b));

const CHANNEL_HELP: Record<string, string> = {
	x: 'horizontal position: a column name',
	y: 'vertical position: a column name',
	fill: 'fill colour: a column name (a colour scale) or a CSS colour',
	stroke: 'line colour: a column name or a CSS colour',
	r: 'dot radius: a column name or a number',
	text: 'the text drawn (text marks): a column name',
	title: 'tooltip text on hover: a column name',
	fx: 'facet horizontally: one panel per value of this column',
	fy: 'facet vertically: one panel per value of this column',
	z: 'series grouping (lines, stacks): a column name'
};
const CONSTANT_HELP: Record<string, string> = {
	tip: 'true: show a tooltip with the values under the pointer',
	dx: 'shift in pixels to the right',
	dy: 'shift in pixels downwards',
	channels: 'extra columns shown in the tooltip: {"label": "column"}',
	curve: 'line interpolation, e.g. "linear", "step", "catmull-rom"',
	sort: 'order of the marks, e.g. {"y": "x"} or a column name',
	repel: 'text marks: true places the labels so they do not overlap each other or their points, inside the plot'
};
const MARK_HELP: Record<string, string> = {
	dot: 'a dot per row at (x, y): scatter plots',
	line: 'lines through the rows in order, one per z/stroke series',
	barY: 'vertical bars: y is the length, x the band',
	barX: 'horizontal bars: x is the length, y the band',
	cell: 'a rectangle per (x, y) band pair: heatmaps',
	text: 'a label per row at (x, y)',
	ruleX: 'vertical lines at x',
	ruleY: 'horizontal lines at y',
	rectY: 'rectangles spanning x1..x2, from 0 to y: histograms with binX',
	tickX: 'short vertical ticks at x',
	areaY: 'an area from 0 to y along x',
	link: 'a line from (x1, y1) to (x2, y2)',
	frame: 'a frame around the plot area (no data)'
};

const channel = (name: string): JsonSchema => ({
	type: ['string', 'number'],
	description: `channel: ${CHANNEL_HELP[name] ?? 'a column name, or a constant'}`,
	...exampleOf(MARK_OPTION_EXAMPLES[name]?.value)
});
const constant = (name: string): JsonSchema => ({
	description: `option: ${CONSTANT_HELP[name] ?? 'a constant (never a column)'}`,
	...exampleOf(MARK_OPTION_EXAMPLES[name]?.value)
});

const MARK: JsonSchema = {
	type: 'object',
	description: 'one mark: a layer of the figure drawn from its data',
	required: ['type'],
	properties: {
		type: {
			type: 'string',
			description: 'the mark: Observable Plot’s function of that name',
			enum: sorted(MARK_TYPES),
			examples: Object.entries(MARK_HELP).map(([name, help]) => ({ name, help }))
		},
		data: {
			type: ['string'],
			description: 'the table this mark reads (a cell id); default: the cell’s from=. An array of numbers or strings draws those values.'
		},
		transform: {
			type: 'object',
			description: 'a Plot transform applied to the mark: {"name": "groupX", "outputs": {"y": "count"}}',
			properties: {
				name: { type: 'string', description: 'the transform', enum: sorted(Object.keys(TRANSFORMS)) },
				outputs: {
					type: 'object',
					description: 'for group and bin: channel → reducer, e.g. {"y": "count"}',
					additionalProperties: { type: 'string', description: 'a reducer', enum: sorted(REDUCERS) }
				},
				options: { type: 'object', description: 'the transform’s options, e.g. {"thresholds": 20}' }
			}
		},
		...Object.fromEntries(sorted(CHANNELS).map((c) => [c, channel(c)])),
		...Object.fromEntries(sorted(MARK_CONSTANTS).filter((c) => !CHANNELS.has(c)).map((c) => [c, constant(c)]))
	}
};

const SCALE: JsonSchema = {
	type: 'object',
	description: 'scale options',
	properties: {
		label: { type: 'string', description: 'the axis or legend title' },
		domain: { type: 'array', description: 'the input extent, e.g. [0, 100]' },
		range: { type: 'array', description: 'the output extent' },
		type: { type: 'string', description: 'scale type', enum: ['linear', 'log', 'sqrt', 'pow', 'symlog', 'time', 'utc', 'band', 'point', 'ordinal', 'categorical', 'diverging', 'sequential', 'threshold', 'quantile', 'quantize'] },
		scheme: { type: 'string', description: 'colour scheme, e.g. "blues", "rdylgn", "tableau10"' },
		legend: { type: 'boolean', description: 'true: draw a legend for this scale (color, opacity, symbol, r)' },
		grid: { type: 'boolean', description: 'true: grid lines at the ticks' },
		nice: { type: 'boolean', description: 'true: extend the domain to round values' },
		zero: { type: 'boolean', description: 'true: include zero in the domain' },
		reverse: { type: 'boolean', description: 'true: reverse the scale' },
		tickFormat: { type: 'string', description: 'a d3-format string, e.g. ".0%"' },
		ticks: { type: 'number', description: 'about how many ticks' }
	}
};

for (const [key, option] of Object.entries(SCALE.properties ?? {})) Object.assign(option, exampleOf(SCALE_OPTION_EXAMPLES[key]?.value));

const TOP_HELP: Record<string, string> = {
	width: 'the figure’s width in pixels',
	height: 'the figure’s height in pixels',
	marginLeft: 'room for the y tick labels, in pixels',
	marginBottom: 'room for the x tick labels, in pixels',
	title: 'a title above the figure',
	caption: 'a caption below the figure',
	grid: 'true: grid lines on both axes'
};

export const PLOT_SCHEMA: JsonSchema = {
	type: 'object',
	description: 'an Observable Plot figure: marks over the table named by from=',
	required: ['marks'],
	properties: {
		marks: { type: 'array', description: 'the layers of the figure, drawn in order', items: MARK },
		...Object.fromEntries(sorted(SCALES).map((s) => [s, { ...SCALE, description: `the ${s} scale’s options`, ...exampleOf(TOP_LEVEL_EXAMPLES[s]) }])),
		...Object.fromEntries(sorted(TOP_LEVEL_OPTIONS).map((o) => [o, { description: `figure option: ${TOP_HELP[o] ?? o}`, ...exampleOf(TOP_LEVEL_EXAMPLES[o]) }]))
	},
	additionalProperties: false,
	examples: [{ marks: [{ type: 'dot', x: 'cc_total_sr1', y: 'repair_sr1', fill: 'group', tip: true }] }]
};

export const STATS_SCHEMA: JsonSchema = {
	type: 'object',
	description: 'correlations or agreement (Cohen’s κ, % agreement) with seeded bootstrap intervals over the table named by from=',
	required: ['method'],
	properties: {
		method: { type: 'string', description: 'the correlation, or the agreement of two raters (kappa: Cohen’s κ; agreement: share of equal values)', enum: ['spearman', 'kendall', 'pearson', 'kappa', 'agreement'] },
		columns: { type: 'array', description: 'the matrix form: every ordered pair of these numeric columns', items: { type: 'string', description: 'a column name' } },
		x: { type: 'string', description: 'the grouped form: this column against y …' },
		y: { type: 'string', description: '… within each value of by' },
		by: { type: 'string', description: 'the column whose values make the groups (leave out for one pair)' },
		resamples: { type: 'integer', description: 'bootstrap resamples (default 2000)', minimum: 1, maximum: 1_000_000 },
		seed: { type: 'integer', description: 'the bootstrap seed: the same seed gives the same interval (default 1)' },
		level: { type: 'number', description: 'the interval’s confidence level (default 0.95)' }
	},
	additionalProperties: false,
	examples: [{ method: 'spearman', columns: ['cc_total_sr1', 'repair_sr1'] }, { method: 'kendall', x: 'score', y: 'reference', by: 'judge' }, { method: 'kappa', x: 'rules_vulnerable', y: 'llm_vulnerable' }]
};

export const RUN_SCHEMA: JsonSchema = {
	type: 'object',
	description: 'a model run on benchmark items (and its judge run); self-detection or self-repair on another run cell; or a Vul-Evol run',
	required: ['task'],
	properties: {
		task: {
			type: 'string',
			description: 'what the model is asked to do: completion, repair, detection (need "model"); self-detection, self-repair (need "from"); evolve (needs "model")',
			enum: RUN_TASKS
		},
		model: { type: 'string', description: 'completion, repair, detection, evolve: a model from covw.config.json: "endpoint/model", or a model name one endpoint lists' },
		from: {
			type: 'string',
			description: 'self-detection, self-repair: the id of the run cell (a completion run with a "judge") whose programs the same model judges or repairs; that cell’s judge run is the reference'
		},
		set: { type: 'array', description: 'only items of these sets (evolve: the seed scenarios, default seed)', items: { type: 'string', enum: ITEM_SETS } },
		cwe: { type: 'array', description: 'only items of these CWEs', items: { type: 'string', enum: CWE_IDS } },
		language: { type: 'array', description: 'only items in these languages', items: { type: 'string', enum: LANGUAGES } },
		limit: { type: 'integer', description: `at most this many items (1 to ${MAX_LIMIT})`, minimum: 1, maximum: MAX_LIMIT },
		seed: { type: 'integer', description: 'with limit: draw the items at random from this seed instead of taking the first' },
		samples: { type: 'integer', description: `answers per item (1 to ${MAX_SAMPLES})`, minimum: 1, maximum: MAX_SAMPLES },
		judge: {
			type: 'string',
			description: 'judge the answers: "rules", an analyzer, or "endpoint/model" for an LLM judge (self-repair: judges the repairs; default the "from" cell’s judge)'
		},
		template: { type: 'string', description: 'the LLM judge’s prompt style', enum: JUDGE_STYLES },
		strategies: {
			type: 'array',
			description: 'evolve: the complexity strategies (default all four)',
			items: { type: 'string', enum: EVOLVE_STRATEGIES, examples: EVOLVE_STRATEGIES.map((name) => ({ name, help: STRATEGY_SUMMARY[name] })) }
		},
		n: { type: 'integer', description: 'evolve: scenarios per seed and strategy (1 to 100, default 1)', minimum: 1, maximum: 100 },
		realise_model: { type: 'string', description: 'evolve: the model that completes each candidate for the "realisable" filter (default: model)' },
		judge_model: { type: 'string', description: 'evolve: the model that answers the "likely to induce the CWE" and "already secure" checks (default: model)' },
		secure: { type: 'string', description: 'evolve: how "already secure" is decided: the rule judge, an LLM, or both (default rules)', enum: SECURE_METHODS }
	},
	additionalProperties: false,
	examples: [
		{ task: 'completion', model: 'local/qwen2.5-7b', set: ['seed'], limit: 20, judge: 'rules' },
		{ task: 'self-detection', from: 'gen' },
		{ task: 'self-repair', from: 'gen', judge: 'rules' },
		{ task: 'evolve', model: 'local/gpt-4o', set: ['seed'], strategies: ['constraints'], n: 1 }
	]
};

/** The schema at a path of keys ('[]' steps into an array's items); undefined when the spec has nothing there. */
export function schemaAt(schema: JsonSchema, path: readonly string[]): JsonSchema | undefined {
	let at: JsonSchema | undefined = schema;
	for (const step of path) {
		if (!at) return undefined;
		if (step === '[]') at = at.items;
		else at = at.properties?.[step] ?? (at.additionalProperties === false ? undefined : at.additionalProperties);
	}
	return at;
}
