// A small working example for every plot mark and transform, and a one-line example for every
// option, kept next to the plot schema (schemas.ts) so a new mark or transform cannot ship without
// one: tests/unit/notebook/plot-examples.test.ts fails when one is missing, and checks that every
// example parses, validates and names only columns of the example tables below. The /reference
// page shows each example as a plot cell and draws it with the notebooks' plot code.
//
// The example tables are our own made-up numbers (eight fictional models), small enough to read.
import type { JsonValue } from '../../core/json/parse.ts';

export interface ExampleTable {
	/** Column name → values, one per row. */
	columns: Record<string, (string | number)[]>;
	description: string;
}

const MODELS = ['atlas-7b', 'birch-13b', 'cedar-34b', 'dune-70b', 'elm-8b', 'fjord-1.5b', 'grove-mini', 'heron-pro'];
const GROUP = ['open', 'open', 'open', 'open', 'open', 'open', 'closed', 'closed'];
const COMPLETION = [41, 47, 55, 63, 50, 33, 68, 74];
const REPAIR = [22, 30, 38, 51, 35, 12, 57, 66];
const DETECTION = [48, 52, 49, 61, 56, 40, 70, 79];
const PARAMS = [7, 13, 34, 70, 8, 1.5, 20, 200];
const BEST = [0, 0, 0, 0, 0, 0, 0, 1];

/** Tables the examples read: `models` (one row per model) and `scores` (one row per model and task). */
export const EXAMPLE_TABLES: Record<string, ExampleTable> = {
	models: {
		description: 'one row per fictional model: its row number, group, size (billions of parameters), three task scores (%) and best (1 for the top model)',
		columns: { row: MODELS.map((_, i) => i + 1), model: MODELS, group: GROUP, params: PARAMS, completion: COMPLETION, repair: REPAIR, detection: DETECTION, best: BEST }
	},
	scores: {
		description: 'the same scores in long form: one row per model and task, with the task’s position (step, step_end = step + 0.8), a 95% interval (low, high) and best',
		columns: (() => {
			const tasks: [string, number[]][] = [['completion', COMPLETION], ['repair', REPAIR], ['detection', DETECTION]];
			const cols: Record<string, (string | number)[]> = { row: [], model: [], group: [], task: [], step: [], step_end: [], score: [], low: [], high: [], best: [] };
			tasks.forEach(([task, values], step) =>
				values.forEach((score, i) => {
					cols.row.push(cols.row.length + 1);
					cols.model.push(MODELS[i]);
					cols.group.push(GROUP[i]);
					cols.task.push(task);
					cols.step.push(step + 1);
					cols.step_end.push(step + 1.8);
					cols.score.push(score);
					cols.low.push(score - 6 - (i % 3));
					cols.high.push(score + 5 + (i % 4));
					cols.best.push(BEST[i]);
				})
			);
			return cols;
		})()
	}
};

/** A plot spec, as written in a cell (its body); `from` is the cell's from=. */
export interface PlotExample {
	from: string;
	spec: { marks: Record<string, JsonValue>[]; [option: string]: JsonValue };
	/** What the example shows, in a sentence. */
	note: string;
}

const ex = (from: string, note: string, marks: Record<string, JsonValue>[], options: Record<string, JsonValue> = {}): PlotExample => ({
	from,
	note,
	spec: { marks, height: 220, ...options }
});

/** One example per mark type (every entry of plot-vocabulary MARK_TYPES). */
export const MARK_EXAMPLES: Record<string, PlotExample> = {
	area: ex('scores', 'an area between y1 and y2 along x (here a model’s interval across the tasks)', [{ type: 'area', x1: 'step', y1: 'low', y2: 'high', filter: 'best', fill: '#cde' }, { type: 'line', x: 'step', y: 'score', filter: 'best' }]),
	areaX: ex('models', 'an area from 0 to x along y: each model’s completion score, in row order', [{ type: 'areaX', y: 'row', x: 'completion', fill: '#cde' }, { type: 'lineX', y: 'row', x: 'completion' }]),
	areaY: ex('scores', 'an area from 0 to y along x: one per model, stacked', [{ type: 'areaY', x: 'step', y: 'score', fill: 'model' }], { color: { legend: true } }),
	arrow: ex('models', 'an arrow from (x1, y1) to (x2, y2): each model’s completion score to its repair score', [{ type: 'arrow', x1: 'completion', x2: 'repair', y1: 'model', y2: 'model', stroke: 'group' }], { y: { type: 'band' }, marginLeft: 80 }),
	axisX: ex('models', 'an x axis, drawn where and how you say (here at the top)', [{ type: 'dot', x: 'completion', y: 'repair' }, { type: 'axisX', anchor: 'top', label: 'completion (%)' }]),
	axisY: ex('models', 'a y axis on the right, with its own tick spacing', [{ type: 'dot', x: 'completion', y: 'repair' }, { type: 'axisY', anchor: 'right', ticks: 4 }]),
	axisFx: ex('models', 'the horizontal facet axis: each facet’s name (closed, open) at the bottom, where the x axis would be (that one moves to the top)', [{ type: 'dot', x: 'completion', y: 'repair', fx: 'group' }, { type: 'axisFx', anchor: 'bottom', label: null }], { x: { axis: 'top' } }),
	axisFy: ex('models', 'the vertical facet axis: each facet’s name (closed, open) on the left, where the y axis would be (that one moves to the right)', [{ type: 'dot', x: 'completion', y: 'repair', fy: 'group' }, { type: 'axisFy', anchor: 'left', label: null }], { marginLeft: 60, y: { axis: 'right' } }),
	barX: ex('models', 'horizontal bars: x is the length, y the band', [{ type: 'barX', x: 'completion', y: 'model', fill: 'group' }], { marginLeft: 80 }),
	barY: ex('models', 'vertical bars: y is the length, x the band', [{ type: 'barY', x: 'model', y: 'repair', fill: 'group' }], { x: { tickRotate: -30 }, marginBottom: 50 }),
	bollingerX: ex('scores', 'a Bollinger band (rolling mean ± 2 deviations) along y', [{ type: 'bollingerX', y: 'row', x: 'score', n: 4 }]),
	bollingerY: ex('scores', 'a Bollinger band (rolling mean ± 2 deviations) along x', [{ type: 'bollingerY', x: 'row', y: 'score', n: 4 }]),
	boxX: ex('scores', 'a box plot per task: quartiles of the scores along x', [{ type: 'boxX', x: 'score', y: 'task' }], { marginLeft: 80 }),
	boxY: ex('scores', 'a box plot per task: quartiles of the scores along y', [{ type: 'boxY', x: 'task', y: 'score' }]),
	cell: ex('scores', 'a rectangle per (x, y) band pair: a heatmap', [{ type: 'cell', x: 'task', y: 'model', fill: 'score', tip: true }], { color: { scheme: 'blues', legend: true }, marginLeft: 80 }),
	cellX: ex('models', 'cells in a row, coloured by their value (x is the index)', [{ type: 'cellX', fill: 'completion', title: 'model' }], { color: { scheme: 'blues' } }),
	cellY: ex('models', 'cells in a column, coloured by their value (y is the index)', [{ type: 'cellY', fill: 'repair', title: 'model' }], { color: { scheme: 'blues' }, width: 200 }),
	circle: ex('models', 'dots drawn as circles (a dot with the circle symbol)', [{ type: 'circle', x: 'completion', y: 'repair', r: 'params' }]),
	contour: ex('models', 'filled contours of a value interpolated between the points (a band per range of detection scores)', [{ type: 'contour', x: 'completion', y: 'repair', fill: 'detection', interpolate: 'barycentric', blur: 2 }], { color: { scheme: 'ylgnbu', legend: true } }),
	crosshair: ex('models', 'a crosshair following the pointer to the nearest point (hover the plot)', [{ type: 'dot', x: 'completion', y: 'repair' }, { type: 'crosshair', x: 'completion', y: 'repair' }]),
	crosshairX: ex('models', 'a crosshair to the point nearest in x', [{ type: 'dot', x: 'completion', y: 'repair' }, { type: 'crosshairX', x: 'completion', y: 'repair' }]),
	crosshairY: ex('models', 'a crosshair to the point nearest in y', [{ type: 'dot', x: 'completion', y: 'repair' }, { type: 'crosshairY', x: 'completion', y: 'repair' }]),
	delaunayLink: ex('models', 'the edges of the Delaunay triangulation of the points', [{ type: 'delaunayLink', x: 'completion', y: 'repair', stroke: '#999' }, { type: 'dot', x: 'completion', y: 'repair' }]),
	delaunayMesh: ex('models', 'the Delaunay mesh of the points as one path', [{ type: 'delaunayMesh', x: 'completion', y: 'repair' }, { type: 'dot', x: 'completion', y: 'repair' }]),
	density: ex('scores', 'contours of the points’ estimated density', [{ type: 'density', x: 'score', y: 'step', stroke: 'steelblue' }, { type: 'dot', x: 'score', y: 'step' }]),
	differenceX: ex('models', 'the difference between two series along y, shaded by which is larger: green where detection beats completion, blue where completion does', [{ type: 'differenceX', y: 'row', x1: 'completion', x2: 'detection' }]),
	differenceY: ex('models', 'the difference between two series along x: where completion beats repair', [{ type: 'differenceY', x: 'row', y1: 'repair', y2: 'completion' }]),
	dot: ex('models', 'a dot per row at (x, y): a scatter plot', [{ type: 'dot', x: 'completion', y: 'repair', fill: 'group', tip: true }], { color: { legend: true } }),
	dotX: ex('models', 'dots along x only (a strip plot)', [{ type: 'dotX', x: 'completion', fill: 'group' }]),
	dotY: ex('models', 'dots along y only', [{ type: 'dotY', y: 'repair', fill: 'group' }], { width: 200 }),
	frame: ex('models', 'a frame around the plot area (no data)', [{ type: 'dot', x: 'completion', y: 'repair' }, { type: 'frame' }]),
	gridX: ex('models', 'vertical grid lines at the x ticks', [{ type: 'gridX', stroke: '#999', strokeOpacity: 0.5 }, { type: 'dot', x: 'completion', y: 'repair' }]),
	gridY: ex('models', 'horizontal grid lines at the y ticks', [{ type: 'gridY', stroke: '#999', strokeOpacity: 0.5 }, { type: 'dot', x: 'completion', y: 'repair' }]),
	gridFx: ex('models', 'a vertical line through each horizontal facet, at its name (the fx ticks)', [{ type: 'dot', x: 'completion', y: 'repair', fx: 'group' }, { type: 'gridFx' }]),
	gridFy: ex('models', 'a horizontal line through each vertical facet, at its name (the fy ticks)', [{ type: 'dot', x: 'completion', y: 'repair', fy: 'group' }, { type: 'gridFy' }], { marginRight: 60 }),
	hexagon: ex('models', 'a hexagon per row (pair it with the hexbin transform to count)', [{ type: 'hexagon', x: 'completion', y: 'repair', fill: 'group' }]),
	hexgrid: ex('models', 'the hexagonal grid the hexbin transform bins into', [{ type: 'hexgrid' }, { type: 'dot', x: 'completion', y: 'repair' }]),
	hull: ex('models', 'the convex hull of each group’s points', [{ type: 'hull', x: 'completion', y: 'repair', stroke: 'group' }, { type: 'dot', x: 'completion', y: 'repair', fill: 'group' }]),
	line: ex('scores', 'lines through the rows in order, one per series (z or stroke)', [{ type: 'line', x: 'step', y: 'score', stroke: 'model' }], { x: { ticks: 3 } }),
	lineX: ex('scores', 'a line along y with x as the value (vertical profile)', [{ type: 'lineX', y: 'step', x: 'score', z: 'model', stroke: 'group' }]),
	lineY: ex('scores', 'a line along x with y as the value', [{ type: 'lineY', x: 'step', y: 'score', z: 'model', stroke: 'group' }]),
	linearRegressionX: ex('models', 'a least-squares line of x on y, with its 95% band', [{ type: 'dot', x: 'completion', y: 'repair' }, { type: 'linearRegressionX', x: 'completion', y: 'repair' }]),
	linearRegressionY: ex('models', 'a least-squares line of y on x, with its 95% band', [{ type: 'dot', x: 'completion', y: 'repair' }, { type: 'linearRegressionY', x: 'completion', y: 'repair' }]),
	link: ex('models', 'a line from (x1, y1) to (x2, y2): each model’s repair score against its detection score', [{ type: 'link', x1: 'completion', y1: 'repair', x2: 'completion', y2: 'detection', stroke: 'group' }]),
	rect: ex('scores', 'rectangles from (x1, y1) to (x2, y2): each score’s interval', [{ type: 'rect', x1: 'low', x2: 'high', y1: 'step', y2: 'step_end', fill: 'task', fillOpacity: 0.2 }]),
	rectX: ex('scores', 'rectangles from 0 to x over a y interval: a horizontal histogram with binY', [{ type: 'rectX', y: 'score', transform: { name: 'binY', outputs: { x: 'count' } } }]),
	rectY: ex('scores', 'rectangles from 0 to y over an x interval: a histogram with binX', [{ type: 'rectY', x: 'score', transform: { name: 'binX', outputs: { y: 'count' } } }]),
	ruleX: ex('models', 'vertical lines at x (here at each completion score)', [{ type: 'ruleX', x: 'completion', stroke: 'group' }]),
	ruleY: ex('models', 'a horizontal reference line at y = 50 (inline data), under the points', [{ type: 'ruleY', data: [50], stroke: 'red' }, { type: 'dot', x: 'completion', y: 'repair' }]),
	spike: ex('models', 'a spike at each point, as long as the value', [{ type: 'spike', x: 'completion', y: 'repair', length: 'params' }]),
	text: ex('models', 'a label per row at (x, y); "repel" keeps labels apart', [{ type: 'dot', x: 'completion', y: 'repair' }, { type: 'text', x: 'completion', y: 'repair', text: 'model', dy: -9, repel: true }]),
	textX: ex('models', 'labels along x only', [{ type: 'textX', x: 'completion', text: 'model', rotate: -45 }]),
	textY: ex('models', 'labels along y only', [{ type: 'textY', y: 'repair', text: 'model' }], { width: 200 }),
	tickX: ex('scores', 'a short vertical tick per row at x, one row per task', [{ type: 'tickX', x: 'score', y: 'task' }], { marginLeft: 80 }),
	tickY: ex('scores', 'a short horizontal tick per row at y, one column per task', [{ type: 'tickY', x: 'task', y: 'score' }]),
	tip: ex('models', 'a tooltip as a mark: here always shown, on the best model (use "tip": true on a mark for tooltips under the pointer)', [{ type: 'dot', x: 'completion', y: 'repair' }, { type: 'tip', x: 'completion', y: 'repair', title: 'model', filter: 'best', anchor: 'top-right' }]),
	vector: ex('models', 'an arrow-like vector at each point: length and rotation from data', [{ type: 'vector', x: 'completion', y: 'repair', length: 'params', rotate: 'detection' }]),
	vectorX: ex('models', 'vectors along x only', [{ type: 'vectorX', x: 'completion', length: 'params' }]),
	vectorY: ex('models', 'vectors along y only', [{ type: 'vectorY', y: 'repair', length: 'params' }], { width: 200 }),
	voronoi: ex('models', 'the Voronoi cell of each point', [{ type: 'voronoi', x: 'completion', y: 'repair', fill: 'group', fillOpacity: 0.2, stroke: 'white' }, { type: 'dot', x: 'completion', y: 'repair' }]),
	voronoiMesh: ex('models', 'the Voronoi mesh of the points as one path', [{ type: 'voronoiMesh', x: 'completion', y: 'repair' }, { type: 'dot', x: 'completion', y: 'repair' }]),
	waffleX: ex('models', 'a waffle: the value as a count of small squares, along x', [{ type: 'waffleX', x: 'params', y: 'group', unit: 10, fill: 'group' }], { marginLeft: 60 }),
	waffleY: ex('models', 'a waffle: the value as a count of small squares, along y', [{ type: 'waffleY', x: 'group', y: 'completion', unit: 20, fill: 'group' }])
};

/** One example per transform (every key of plot-vocabulary TRANSFORMS). */
export const TRANSFORM_EXAMPLES: Record<string, PlotExample> = {
	group: ex('scores', 'group by x and y (both bands) and reduce: how many rows per task and group', [{ type: 'cell', x: 'task', y: 'group', transform: { name: 'group', outputs: { fill: 'count' } } }], { color: { scheme: 'blues', legend: true } }),
	groupX: ex('scores', 'group by x and reduce: the mean score per task', [{ type: 'barY', x: 'task', y: 'score', transform: { name: 'groupX', outputs: { y: 'mean' } } }]),
	groupY: ex('scores', 'group by y and reduce: the best score per model', [{ type: 'barX', y: 'model', x: 'score', transform: { name: 'groupY', outputs: { x: 'max' } } }], { marginLeft: 80 }),
	groupZ: ex('scores', 'group by series (z/stroke) only: the median score per group, a rule each over the scores drawn as dots', [{ type: 'dotX', x: 'score', fill: 'group', fillOpacity: 0.4 }, { type: 'ruleX', x: 'score', stroke: 'group', strokeWidth: 3, transform: { name: 'groupZ', outputs: { x: 'median' } } }], { color: { legend: true } }),
	bin: ex('scores', 'bin x and y: a 2D histogram of score against task position', [{ type: 'rect', x: 'score', y: 'step', transform: { name: 'bin', outputs: { fill: 'count' }, options: { thresholds: 5 } } }], { color: { scheme: 'blues' } }),
	binX: ex('scores', 'bin x into intervals and count: a histogram of the scores', [{ type: 'rectY', x: 'score', transform: { name: 'binX', outputs: { y: 'count' }, options: { thresholds: 8 } } }]),
	binY: ex('scores', 'bin y into intervals and count', [{ type: 'rectX', y: 'score', transform: { name: 'binY', outputs: { x: 'count' } } }]),
	hexbin: ex('scores', 'bin the points into hexagons and count them', [{ type: 'dot', x: 'step', y: 'score', transform: { name: 'hexbin', outputs: { r: 'count' }, options: { binWidth: 30 } } }]),
	map: ex('scores', 'map a channel within each series: the cumulative score over the tasks', [{ type: 'line', x: 'step', y: 'score', stroke: 'model', transform: { name: 'map', outputs: { y: 'cumsum' } } }]),
	stackX: ex('scores', 'stack x lengths: each model’s three scores end to end', [{ type: 'barX', y: 'model', x: 'score', fill: 'task', transform: { name: 'stackX' } }], { marginLeft: 80, color: { legend: true } }),
	stackX1: ex('scores', 'stack along x, keep the start (x1) of each stacked piece as x', [{ type: 'dot', y: 'model', x: 'score', fill: 'task', transform: { name: 'stackX1' } }], { marginLeft: 80 }),
	stackX2: ex('scores', 'stack along x, keep the end (x2) of each stacked piece as x', [{ type: 'dot', y: 'model', x: 'score', fill: 'task', transform: { name: 'stackX2' } }], { marginLeft: 80 }),
	stackY: ex('scores', 'stack y lengths: the three scores of each model on top of each other', [{ type: 'barY', x: 'model', y: 'score', fill: 'task', transform: { name: 'stackY' } }], { x: { tickRotate: -30 }, marginBottom: 50, color: { legend: true } }),
	stackY1: ex('scores', 'stack along y, keep the bottom (y1) of each piece as y', [{ type: 'dot', x: 'model', y: 'score', fill: 'task', transform: { name: 'stackY1' } }], { x: { tickRotate: -30 }, marginBottom: 50 }),
	stackY2: ex('scores', 'stack along y, keep the top (y2) of each piece as y', [{ type: 'dot', x: 'model', y: 'score', fill: 'task', transform: { name: 'stackY2' } }], { x: { tickRotate: -30 }, marginBottom: 50 }),
	normalizeX: ex('scores', 'divide x by a basis within each series: each model’s three scores relative to its first (completion, so at 1)', [{ type: 'dot', y: 'model', x: 'score', z: 'model', fill: 'task', transform: { name: 'normalizeX', options: { basis: 'first' } } }], { marginLeft: 80, color: { legend: true } }),
	normalizeY: ex('scores', 'divide y by a basis within each series: scores relative to the model’s first task', [{ type: 'line', x: 'step', y: 'score', z: 'model', stroke: 'group', transform: { name: 'normalizeY', options: { basis: 'first' } } }]),
	windowX: ex('scores', 'a moving window along x: the mean of 3 neighbouring scores', [{ type: 'lineX', y: 'row', x: 'score', transform: { name: 'windowX', options: { k: 3 } } }]),
	windowY: ex('scores', 'a moving window along y: the mean of 3 neighbouring scores', [{ type: 'lineY', x: 'row', y: 'score', transform: { name: 'windowY', options: { k: 3 } } }]),
	dodgeX: ex('models', 'place dots along x without overlap (a beeswarm), from the left', [{ type: 'dot', y: 'completion', fill: 'group', r: 6, transform: { name: 'dodgeX', options: { anchor: 'left' } } }]),
	dodgeY: ex('scores', 'place dots along y without overlap (a beeswarm) at each score', [{ type: 'dot', x: 'score', fill: 'task', r: 5, transform: { name: 'dodgeY' } }], { color: { legend: true } }),
	selectFirst: ex('scores', 'keep only the first row of each series: label the start of each line', [{ type: 'line', x: 'step', y: 'score', z: 'model' }, { type: 'text', x: 'step', y: 'score', z: 'model', text: 'model', textAnchor: 'end', dx: -6, transform: { name: 'selectFirst' } }], { marginLeft: 80, y: { axis: 'right' }, marginRight: 40 }),
	selectLast: ex('scores', 'keep only the last row of each series: label the end of each line', [{ type: 'line', x: 'step', y: 'score', z: 'model' }, { type: 'text', x: 'step', y: 'score', z: 'model', text: 'model', textAnchor: 'start', dx: 6, repel: true, transform: { name: 'selectLast' } }], { marginRight: 80 }),
	selectMinX: ex('scores', 'keep the row with the smallest x of each series: each task’s weakest model', [{ type: 'dot', x: 'score', y: 'task', z: 'task', fill: 'red', transform: { name: 'selectMinX' } }, { type: 'dot', x: 'score', y: 'task', fillOpacity: 0.2 }], { marginLeft: 80 }),
	selectMaxX: ex('scores', 'keep the row with the largest x of each series: each task’s best model', [{ type: 'dot', x: 'score', y: 'task', z: 'task', fill: 'green', transform: { name: 'selectMaxX' } }, { type: 'dot', x: 'score', y: 'task', fillOpacity: 0.2 }], { marginLeft: 80 }),
	selectMinY: ex('scores', 'keep the row with the smallest y of each series: each model’s weakest task', [{ type: 'line', x: 'step', y: 'score', z: 'model', strokeOpacity: 0.3 }, { type: 'dot', x: 'step', y: 'score', z: 'model', fill: 'red', transform: { name: 'selectMinY' } }]),
	selectMaxY: ex('scores', 'keep the row with the largest y of each series: each model’s best task', [{ type: 'line', x: 'step', y: 'score', z: 'model', strokeOpacity: 0.3 }, { type: 'dot', x: 'step', y: 'score', z: 'model', fill: 'green', transform: { name: 'selectMaxY' } }])
};

/** A one-line example of a mark option: the key's value, on a mark of `mark` type (default dot). */
export interface OptionExample {
	value: JsonValue;
	mark?: string;
}

const on = (mark: string, value: JsonValue): OptionExample => ({ mark, value });

/** One example per mark option: every channel and constant of plot-vocabulary CHANNELS and MARK_CONSTANTS. */
export const MARK_OPTION_EXAMPLES: Record<string, OptionExample> = {
	// channels
	x: { value: 'completion' },
	y: { value: 'repair' },
	x1: on('link', 'completion'),
	x2: on('link', 'repair'),
	y1: on('rect', 'low'),
	y2: on('rect', 'high'),
	z: on('line', 'model'),
	fill: { value: 'group' },
	stroke: on('line', 'steelblue'),
	r: { value: 'params' },
	text: on('text', 'model'),
	title: { value: 'model' },
	fillOpacity: { value: 0.5 },
	strokeOpacity: on('line', 0.4),
	strokeWidth: on('line', 2),
	opacity: { value: 0.8 },
	symbol: { value: 'group' },
	href: { value: 'link' },
	rotate: on('text', -45),
	fontSize: on('text', 9),
	length: on('vector', 'params'),
	fx: { value: 'group' },
	fy: { value: 'task' },
	weight: on('density', 'params'),
	filter: { value: 'best' },
	ariaLabel: { value: 'model' },
	// constants
	tip: { value: true },
	dx: on('text', 6),
	dy: on('text', -9),
	frameAnchor: on('text', 'top-left'),
	textAnchor: on('text', 'start'),
	lineAnchor: on('text', 'bottom'),
	lineHeight: on('text', 1.2),
	lineWidth: on('text', 12),
	textOverflow: on('text', 'ellipsis'),
	monospace: on('text', true),
	fontFamily: on('text', 'serif'),
	fontStyle: on('text', 'italic'),
	fontVariant: on('text', 'small-caps'),
	fontWeight: on('text', 'bold'),
	strokeDasharray: on('line', '4,2'),
	strokeDashoffset: on('line', 2),
	strokeLinecap: on('line', 'round'),
	strokeLinejoin: on('line', 'round'),
	strokeMiterlimit: on('line', 4),
	curve: on('line', 'catmull-rom'),
	tension: on('line', 0.5),
	marker: on('line', 'circle'),
	markerStart: on('line', 'dot'),
	markerMid: on('line', 'dot'),
	markerEnd: on('line', 'arrow'),
	sort: { value: { y: 'x' } },
	reverse: { value: true },
	interval: on('barY', 1),
	anchor: on('axisX', 'top'),
	inset: on('barY', 1),
	insetTop: on('barY', 2),
	insetRight: on('barY', 2),
	insetBottom: on('barY', 2),
	insetLeft: on('barY', 2),
	insetStart: on('barY', 2),
	insetEnd: on('barY', 2),
	rx: on('barY', 4),
	ry: on('barY', 4),
	clip: { value: true },
	mixBlendMode: { value: 'multiply' },
	paintOrder: on('text', 'stroke'),
	pointerEvents: { value: 'none' },
	shapeRendering: on('cell', 'crispEdges'),
	imageFilter: { value: 'drop-shadow(1px 1px 1px #0003)' },
	bend: on('arrow', true),
	headLength: on('arrow', 6),
	headAngle: on('arrow', 45),
	sweep: on('arrow', -1),
	facet: { value: 'exclude' },
	facetAnchor: { value: 'bottom' },
	className: { value: 'highlight' },
	ariaDescription: { value: 'one dot per model' },
	ariaHidden: { value: true },
	label: on('axisX', 'completion (%)'),
	labelAnchor: on('axisY', 'center'),
	labelOffset: on('axisX', 30),
	labelArrow: on('axisY', 'none'),
	ticks: on('axisX', 5),
	tickSize: on('axisX', 0),
	tickSpacing: on('axisY', 40),
	tickPadding: on('axisX', 6),
	tickFormat: on('axisY', '.0f'),
	tickRotate: on('axisX', -30),
	textStroke: on('axisX', 'white'),
	textStrokeOpacity: on('axisX', 0.8),
	textStrokeWidth: on('axisX', 3),
	maxRadius: { value: 12 },
	offset: on('areaY', 'normalize'),
	order: on('areaY', 'value'),
	basis: on('line', 'first'),
	k: on('line', 3),
	reduce: on('line', 'median'),
	shift: on('line', 'centered'),
	strict: on('line', true),
	thresholds: on('density', 10),
	bandwidth: on('density', 15),
	binWidth: on('hexagon', 20),
	gap: on('waffleY', 2),
	unit: on('waffleY', 10),
	multiple: on('waffleY', 5),
	round: on('waffleY', true),
	padding: on('barY', 0.2),
	ci: on('linearRegressionY', 0.9),
	width: on('vector', 2),
	height: on('vector', 2),
	channels: { value: { size: 'params' } },
	format: { value: { x: '.1f', y: true } },
	repel: on('text', true),
	n: on('bollingerY', 10),
	blur: on('contour', 2),
	interpolate: on('contour', 'barycentric')
};

/** One example per scale option (the keys of a scale object such as "x" or "color"). */
export const SCALE_OPTION_EXAMPLES: Record<string, { scale: string; value: JsonValue }> = {
	label: { scale: 'x', value: 'Code completion SR@1 (%)' },
	domain: { scale: 'y', value: [0, 100] },
	range: { scale: 'r', value: [2, 12] },
	type: { scale: 'x', value: 'log' },
	scheme: { scale: 'color', value: 'rdylgn' },
	legend: { scale: 'color', value: true },
	grid: { scale: 'y', value: true },
	nice: { scale: 'x', value: true },
	zero: { scale: 'y', value: true },
	reverse: { scale: 'y', value: true },
	tickFormat: { scale: 'y', value: '.0%' },
	ticks: { scale: 'x', value: 5 }
};

/** One example per top-level option: every scale name and plot-vocabulary TOP_LEVEL_OPTIONS. */
export const TOP_LEVEL_EXAMPLES: Record<string, JsonValue> = {
	x: { label: 'completion (%)', domain: [0, 100] },
	y: { label: 'repair (%)', grid: true },
	fx: { label: null },
	fy: { padding: 0.1 },
	r: { range: [2, 10] },
	color: { scheme: 'tableau10', legend: true },
	opacity: { legend: true },
	symbol: { legend: true },
	length: { range: [0, 40] },
	width: 640,
	height: 400,
	margin: 30,
	marginTop: 20,
	marginRight: 80,
	marginBottom: 40,
	marginLeft: 110,
	inset: 10,
	insetTop: 10,
	insetRight: 10,
	insetBottom: 10,
	insetLeft: 10,
	title: 'Completion against repair',
	subtitle: 'one dot per model',
	caption: 'Scores from our own example table.',
	grid: true,
	label: null,
	style: { fontSize: '12px' },
	className: 'figure',
	aspectRatio: 1,
	clip: true,
	axis: null,
	nice: true,
	round: true,
	align: 0.5,
	padding: 0.1,
	projection: 'identity',
	ariaLabel: 'completion against repair',
	ariaDescription: 'a scatter plot of eight models'
};
