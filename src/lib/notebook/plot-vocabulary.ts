// The words a declarative plot spec may use: Observable Plot (0.6) mark and transform names,
// option names, reducers, and what makes a channel string a constant rather than a column.
// Whitelists, because a spec indexes into the Plot module by name: nothing outside these lists
// is ever looked up, and nothing in a spec is ever evaluated.
//
// A plot spec stays data: no option may load anything or run anything. So there is no image
// mark and no `src` channel (a URL built from query results would send data off the machine),
// no CSS function that fetches (`url(…)`, `image-set(…)`, …) in any value, no CSS escapes
// (which could spell one), and `style` is an object of a few checked properties. The one
// URL-bearing channel left, `href`, takes its values from data: the browser checks each link's
// scheme when it draws (workbench/plot/sanitize.ts). See plotSafetyErrors below.

export const MARK_TYPES: ReadonlySet<string> = new Set([
	'area', 'areaX', 'areaY', 'arrow', 'axisX', 'axisY', 'axisFx', 'axisFy', 'barX', 'barY',
	'bollingerX', 'bollingerY', 'boxX', 'boxY', 'cell', 'cellX', 'cellY', 'circle', 'contour',
	'crosshair', 'crosshairX', 'crosshairY', 'delaunayLink', 'delaunayMesh', 'density',
	'differenceX', 'differenceY', 'dot', 'dotX', 'dotY', 'frame', 'gridX', 'gridY', 'gridFx', 'gridFy',
	'hexagon', 'hexgrid', 'hull', 'line', 'lineX', 'lineY', 'linearRegressionX',
	'linearRegressionY', 'link', 'rect', 'rectX', 'rectY', 'ruleX', 'ruleY', 'spike', 'text', 'textX',
	'textY', 'tickX', 'tickY', 'tip', 'vector', 'vectorX', 'vectorY', 'voronoi', 'voronoiMesh',
	'waffleX', 'waffleY'
]);

/** Marks that draw without data (axes, grids, frame). */
export const DECORATION_MARKS: ReadonlySet<string> = new Set(['frame', 'axisX', 'axisY', 'axisFx', 'axisFy', 'gridX', 'gridY', 'gridFx', 'gridFy']);

/**
 * How the browser calls each transform: 'outputs' → Plot[name](outputs, {...options, ...mark})
 * (group, bin, …); 'options' → Plot[name]({...options, ...mark}) with ONE argument (stack,
 * normalize, window, dodge, select*: their first argument is not an outputs object).
 */
export const TRANSFORMS: Readonly<Record<string, 'outputs' | 'options'>> = {
	group: 'outputs', groupX: 'outputs', groupY: 'outputs', groupZ: 'outputs',
	bin: 'outputs', binX: 'outputs', binY: 'outputs', hexbin: 'outputs', map: 'outputs',
	stackX: 'options', stackX1: 'options', stackX2: 'options',
	stackY: 'options', stackY1: 'options', stackY2: 'options',
	normalizeX: 'options', normalizeY: 'options', windowX: 'options', windowY: 'options',
	dodgeX: 'options', dodgeY: 'options',
	selectFirst: 'options', selectLast: 'options', selectMinX: 'options', selectMaxX: 'options',
	selectMinY: 'options', selectMaxY: 'options'
};

/** Reducers a group/bin output may name (plus pNN percentiles). */
export const REDUCERS: ReadonlySet<string> = new Set([
	'count', 'distinct', 'sum', 'proportion', 'proportion-facet', 'deviation', 'variance', 'min',
	'min-index', 'max', 'max-index', 'mean', 'median', 'mode', 'first', 'last', 'identity',
	'x', 'x1', 'x2', 'y', 'y1', 'y2', 'z'
]);
export const isReducer = (name: string) => REDUCERS.has(name) || /^p\d\d$/.test(name);

/** Scale options objects at the top level. */
export const SCALES: ReadonlySet<string> = new Set(['x', 'y', 'fx', 'fy', 'r', 'color', 'opacity', 'symbol', 'length']);

/** Other top-level options (not scales). `facet` is left out: use fx/fy channels on marks. */
export const TOP_LEVEL_OPTIONS: ReadonlySet<string> = new Set([
	'width', 'height', 'margin', 'marginTop', 'marginRight', 'marginBottom', 'marginLeft',
	'inset', 'insetTop', 'insetRight', 'insetBottom', 'insetLeft', 'title', 'subtitle', 'caption',
	'grid', 'label', 'style', 'className', 'aspectRatio', 'clip', 'axis', 'nice', 'round', 'align',
	'padding', 'projection', 'ariaLabel', 'ariaDescription'
]);

/** Mark options that are channels: a string names a column (unless it is a constant, below). */
export const CHANNELS: ReadonlySet<string> = new Set([
	'x', 'y', 'x1', 'x2', 'y1', 'y2', 'z', 'fill', 'stroke', 'r', 'text', 'title', 'fillOpacity',
	'strokeOpacity', 'strokeWidth', 'opacity', 'symbol', 'href', 'rotate', 'fontSize', 'length',
	'fx', 'fy', 'weight', 'filter', 'ariaLabel'
]);

/** Mark options that are constants (never column names). */
export const MARK_CONSTANTS: ReadonlySet<string> = new Set([
	'tip', 'dx', 'dy', 'frameAnchor', 'textAnchor', 'lineAnchor', 'lineHeight', 'lineWidth',
	'textOverflow', 'monospace', 'fontFamily', 'fontStyle', 'fontVariant', 'fontWeight',
	'strokeDasharray', 'strokeDashoffset', 'strokeLinecap', 'strokeLinejoin', 'strokeMiterlimit',
	'curve', 'tension', 'marker', 'markerStart', 'markerMid', 'markerEnd', 'sort', 'reverse',
	'interval', 'anchor', 'inset', 'insetTop', 'insetRight', 'insetBottom', 'insetLeft', 'insetStart',
	'insetEnd', 'rx', 'ry', 'clip', 'mixBlendMode', 'paintOrder', 'pointerEvents', 'shapeRendering',
	'imageFilter', 'bend', 'headLength', 'headAngle', 'sweep', 'facet', 'facetAnchor', 'className',
	'ariaDescription', 'ariaHidden', 'label', 'labelAnchor', 'labelOffset', 'labelArrow', 'ticks',
	'tickSize', 'tickSpacing', 'tickPadding', 'tickFormat', 'tickRotate', 'textStroke',
	'textStrokeOpacity', 'textStrokeWidth', 'maxRadius', 'offset', 'order', 'basis', 'k', 'reduce',
	'shift', 'strict', 'thresholds', 'bandwidth', 'binWidth', 'gap', 'unit', 'multiple', 'round',
	'padding', 'ci', 'width', 'height', 'channels', 'format', 'repel',
	'n', 'blur', 'interpolate'
]);

/** Plot's built-in symbol names (a `symbol` string that is one of these is a constant). */
const SYMBOLS = new Set([
	'asterisk', 'circle', 'cross', 'diamond', 'diamond2', 'hexagon', 'plus', 'square', 'square2',
	'star', 'times', 'triangle', 'triangle2', 'wye'
]);

// CSS named colours (CSS Color Module Level 4), lower case.
const NAMED_COLORS = new Set(
	(
		'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown ' +
		'burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan ' +
		'darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid ' +
		'darkred darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet ' +
		'deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ' +
		'ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki ' +
		'lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow ' +
		'lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray ' +
		'lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine ' +
		'mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen ' +
		'mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace ' +
		'olive olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred ' +
		'papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue ' +
		'saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray slategrey ' +
		'snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow ' +
		'yellowgreen transparent none currentcolor'
	).split(' ')
);

/** As Plot decides: a fill/stroke string that parses as a CSS colour is a constant. */
export function isColorConstant(value: string): boolean {
	const v = value.trim().toLowerCase();
	return (
		NAMED_COLORS.has(v) ||
		/^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/.test(v) ||
		/^(rgb|rgba|hsl|hsla|hwb|lab|lch|oklab|oklch|color)\(.*\)$/.test(v) ||
		/^var\(--[\w-]+\)$/.test(v)
	);
}

/** Whether a channel's string value is a constant rather than a column name. */
export function isConstantChannelValue(channel: string, value: string): boolean {
	if (channel === 'fill' || channel === 'stroke') return isColorConstant(value);
	if (channel === 'symbol') return SYMBOLS.has(value.toLowerCase());
	if (channel === 'fontSize') return /^(\d+(\.\d+)?(px|em|rem|pt|%)|(xx?x?-)?(small|large)|medium|larger|smaller)$/i.test(value.trim());
	return false;
}

/** Properties a top-level `style` object may set (camelCase, as Plot takes them). */
export const STYLE_PROPERTIES: ReadonlySet<string> = new Set([
	'color', 'background', 'backgroundColor', 'fontFamily', 'fontSize', 'fontStyle', 'fontWeight',
	'fontVariant', 'lineHeight', 'maxWidth', 'overflow', 'overflowX', 'overflowY', 'padding', 'margin'
]);

/** Options whose strings are shown as text (never used as CSS, a URL or a column name). */
const TEXT_OPTIONS: ReadonlySet<string> = new Set(['title', 'subtitle', 'caption', 'label', 'ariaLabel', 'ariaDescription']);

// CSS functions that load a resource, @-rules, old IE expressions, and script URL schemes.
const FETCHING = /\b(url|image|image-set|-webkit-image-set|cross-fade|element|paint|src)\s*\(|@import|expression\s*\(|(java|vb)script\s*:/i;

/** Why a string may not appear in a plot spec outside text options; undefined when it may. */
export function unsafeCssReason(value: string): string | undefined {
	if (value.includes('\\')) return 'a backslash (CSS escapes could spell a URL) is not allowed';
	const found = FETCHING.exec(value);
	if (found) return `"${found[0].trim()}" is not allowed: a plot cannot load anything from a URL or run script`;
	return undefined;
}

export interface SafetyError {
	/** JSON path of the value ('marks/0/fill', 'style/background'). */
	path: string;
	message: string;
}

/**
 * Everything in a plot spec that could reach outside the page or run script: a `url(…)` in a
 * fill, a remote image, a `style` that sets a background image, … Walks the whole spec (marks,
 * transforms, scales); text options are exempt (they are drawn as text).
 */
export function plotSafetyErrors(spec: { [key: string]: unknown }): SafetyError[] {
	const errors: SafetyError[] = [];
	const walk = (value: unknown, path: string, key: string) => {
		if (typeof value === 'string') {
			if (TEXT_OPTIONS.has(key)) return;
			const reason = unsafeCssReason(value);
			if (reason) errors.push({ path, message: `"${key}": ${reason}` });
		} else if (Array.isArray(value)) {
			value.forEach((item, i) => walk(item, `${path}/${i}`, key));
		} else if (value !== null && typeof value === 'object') {
			for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}/${k}`, k);
		}
	};
	for (const [key, value] of Object.entries(spec)) {
		if (key === 'style') checkStyle(value, errors);
		else walk(value, key, key);
	}
	return errors;
}

function checkStyle(style: unknown, errors: SafetyError[]): void {
	if (style === null || style === undefined) return;
	if (typeof style !== 'object' || Array.isArray(style)) {
		errors.push({ path: 'style', message: `"style" must be an object of CSS properties (${[...STYLE_PROPERTIES].join(', ')}), e.g. {"fontSize": "12px"}` });
		return;
	}
	for (const [property, value] of Object.entries(style)) {
		const path = `style/${property}`;
		if (!STYLE_PROPERTIES.has(property)) {
			errors.push({ path, message: `"style": property "${property}" is not allowed (allowed: ${[...STYLE_PROPERTIES].join(', ')})` });
		} else if (typeof value !== 'string' && typeof value !== 'number') {
			errors.push({ path, message: `"style": "${property}" must be a string or a number` });
		} else if (typeof value === 'string') {
			const reason = unsafeCssReason(value) ?? (/[;{}<>]/.test(value) ? 'a ";", brace or angle bracket is not allowed in a style value' : undefined);
			if (reason) errors.push({ path, message: `"style": "${property}": ${reason}` });
		}
	}
}
