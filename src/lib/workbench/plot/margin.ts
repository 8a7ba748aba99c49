// Room on the left for long y tick labels. Observable Plot keeps marginLeft at 40 px whatever the
// labels say, so a barX of model names cuts them at the figure's edge ("M3-6B" for a long name)
// and the y title lands on the ticks. When the spec sets no left margin, the margin is made as
// wide as the longest text label a mark puts on the y axis (measured in the axis font), within a
// cap; numbers and short labels keep Plot's default. Labels wider than the cap are shortened to
// fit it with "…" (autoLeftAxis; compile.ts gives each shortened tick its full label as a tooltip).
import type { PlotSpec } from '../../notebook/plot-spec.ts';
import type { ResultTable } from '../../notebook/executor.ts';

/** Plot's default left margin, and the widest this makes it. */
export const PLOT_MARGIN_LEFT = 40;
export const MAX_AUTO_MARGIN_LEFT = 360;
/** The tick (6 px), the gap to the label (3 px) and a little air. */
const TICK_ROOM = 14;
/** The y axis title, drawn turned on its side at the figure's left edge, beside the labels. */
const TITLE_ROOM = 18;
/** Measured text is widened by this much: the font drawn may be wider than the one measured. */
const SAFETY = 1.1;
/** Rows read per mark to find the longest label (a plot of more distinct labels is unreadable anyway). */
const ROWS_READ = 5000;

export function autoMarginLeft(spec: PlotSpec, tableFor: (name: string | undefined) => ResultTable | undefined, measure: (text: string) => number): number | undefined {
	return autoLeftAxis(spec, tableFor, measure)?.marginLeft;
}

export interface LeftAxis {
	marginLeft: number;
	/** When the longest label is wider than the capped margin: a label → itself, or shortened with "…" to fit. */
	shorten?: (label: string) => string;
}

/** The left margin for the y labels (see autoMarginLeft) and, above the cap, how to shorten them to fit. */
export function autoLeftAxis(spec: PlotSpec, tableFor: (name: string | undefined) => ResultTable | undefined, measure: (text: string) => number): LeftAxis | undefined {
	if (spec.marginLeft !== undefined || spec.margin !== undefined) return undefined;
	const y = spec.y as { axis?: unknown; tickFormat?: unknown; label?: unknown } | undefined;
	if (y && typeof y === 'object' && (y.axis === 'right' || y.axis === null || y.tickFormat !== undefined)) return undefined;
	let widest = 0;
	for (const mark of spec.marks) {
		if (typeof mark.y !== 'string' || Array.isArray(mark.data)) continue;
		const table = tableFor(typeof mark.data === 'string' ? mark.data : undefined);
		const column = table?.getChild(mark.y);
		if (!table || !column) continue;
		const seen = new Set<string>();
		for (let i = 0; i < Math.min(table.numRows, ROWS_READ); i++) {
			const value = column.get(i);
			if (typeof value !== 'string' || seen.has(value)) continue;
			seen.add(value);
			widest = Math.max(widest, measure(value));
		}
	}
	if (widest === 0) return undefined;
	const titled = !(y && typeof y === 'object' && y.label === null);
	const labels = Math.ceil(widest * SAFETY) + TICK_ROOM;
	// Labels that fit Plot's default margin keep it (its title then sits above the axis as usual).
	if (labels <= PLOT_MARGIN_LEFT) return undefined;
	const titleRoom = titled ? TITLE_ROOM : 0;
	if (labels + titleRoom <= MAX_AUTO_MARGIN_LEFT) return { marginLeft: labels + titleRoom };
	const room = (MAX_AUTO_MARGIN_LEFT - titleRoom - TICK_ROOM) / SAFETY;
	return { marginLeft: MAX_AUTO_MARGIN_LEFT, shorten: (label) => shortenToFit(label, room, measure) };
}

/** `text` if it is at most `room` wide, else its longest start (whole characters) that fits with "…" after it. */
export function shortenToFit(text: string, room: number, measure: (text: string) => number): string {
	if (measure(text) <= room) return text;
	const chars = Array.from(text); // never split a surrogate pair
	let low = 0;
	let high = chars.length;
	while (low < high) {
		const mid = Math.ceil((low + high) / 2);
		if (measure(chars.slice(0, mid).join('').trimEnd() + '…') <= room) low = mid;
		else high = mid - 1;
	}
	return chars.slice(0, low).join('').trimEnd() + '…';
}

let context: CanvasRenderingContext2D | null | undefined;

/** A text's width in Plot's axis font (10px system-ui); about 6 px a character where there is no canvas. */
export function measureAxisText(text: string): number {
	if (context === undefined) {
		context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
		if (context) context.font = '10px system-ui, sans-serif';
	}
	return context ? context.measureText(text).width : text.length * 6;
}
