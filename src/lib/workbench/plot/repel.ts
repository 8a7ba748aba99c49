// The "repel" option of text marks: a Plot render transform that moves each label of the mark to
// a spot where it overlaps no other label of the mark and no labelled point, inside the plot
// (label-placement.ts), and draws a thin leader line to a label that had to move away from its
// point. Labels of near-identical points (two models with the same scores) stay readable.
import { estimateTextWidth, placeLabels, type LabelToPlace } from './label-placement.ts';

interface TextMarkLike {
	dx?: number;
	dy?: number;
	fontSize?: number | string;
	textAnchor?: string;
}
interface Dimensions {
	width: number;
	height: number;
	marginTop: number;
	marginRight: number;
	marginBottom: number;
	marginLeft: number;
}
type Values = { x?: ArrayLike<number>; y?: ArrayLike<number>; text?: ArrayLike<unknown>; fontSize?: ArrayLike<number> };
type Next = (index: ArrayLike<number>, scales: unknown, values: Values, dimensions: Dimensions, context: unknown) => SVGElement | null;

const SVG = 'http://www.w3.org/2000/svg';

/** Text widths from a canvas in Plot's default font when there is a document; else an estimate. */
function textMeasurer(): (text: string, size: number) => number {
	const context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
	if (!context) return estimateTextWidth;
	return (text, size) => {
		context.font = `${size}px system-ui, sans-serif`;
		return Math.max(...text.split('\n').map((line) => context.measureText(line).width), 0);
	};
}

function translateOf(element: Element): [number, number] {
	const match = /translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/.exec(element.getAttribute('transform') ?? '');
	return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

export function repelLabels(
	this: TextMarkLike,
	index: ArrayLike<number>,
	scales: unknown,
	values: Values,
	dimensions: Dimensions,
	context: unknown,
	next: Next
): SVGElement | null {
	const g = next(index, scales, values, dimensions, context);
	if (!g || !values.x || !values.y) return g;
	const texts = [...g.children].filter((child) => child.tagName.toLowerCase() === 'text');
	if (texts.length !== index.length) return g; // not the shape this expects: leave Plot's drawing as is
	const dx = this.dx ?? 0;
	const dy = this.dy ?? 0;
	// The group is shifted by dx, dy (and half a band on band scales): the points sit at the shift minus dx, dy.
	const [tx, ty] = translateOf(g);
	const ox = tx - dx;
	const oy = ty - dy;
	const anchor = this.textAnchor === 'start' || this.textAnchor === 'end' ? this.textAnchor : 'middle';
	const constantSize = typeof this.fontSize === 'number' ? this.fontSize : Number.parseFloat(String(this.fontSize ?? '')) || 10;
	const measure = textMeasurer();
	// Plot passes the index as a Uint32Array: map it through Array.from, not .map (which would keep the typed array).
	const labels: LabelToPlace[] = Array.from(index, (i) => {
		const size = values.fontSize ? Number(values.fontSize[i]) || constantSize : constantSize;
		const text = String(values.text?.[i] ?? '');
		return { x: values.x![i] + ox, y: values.y![i] + oy, width: measure(text, size) + 2, height: size * 1.2, dx, dy, anchor };
	});
	// Labels stay inside the figure and off the axes on the left and bottom; they may use the top
	// and right margins (a label beside a point at the right edge). If the plot area is too
	// narrow for a label, the whole figure is the limit.
	const inner = { left: dimensions.marginLeft, top: Math.min(dimensions.marginTop, 12), right: dimensions.width - 1, bottom: dimensions.height - dimensions.marginBottom };
	const fits = labels.every((l) => l.width <= inner.right - inner.left && l.height <= inner.bottom - inner.top);
	const placements = placeLabels(labels, fits ? inner : { left: 1, top: 1, right: dimensions.width - 1, bottom: dimensions.height - 1 });
	const leaders = g.ownerDocument.createElementNS(SVG, 'g');
	leaders.setAttribute('aria-hidden', 'true');
	placements.forEach((p, k) => {
		const text = texts[k];
		const rest = (text.getAttribute('transform') ?? '').replace(/translate\([^)]*\)/, '').trim();
		text.setAttribute('transform', `translate(${p.x - tx},${p.y - ty})${rest ? ' ' + rest : ''}`);
		if (!p.leader) return;
		// From the point to the nearest spot on the label's box.
		const px = labels[k].x;
		const py = labels[k].y;
		const line = g.ownerDocument.createElementNS(SVG, 'line');
		line.setAttribute('x1', String(px - tx));
		line.setAttribute('y1', String(py - ty));
		line.setAttribute('x2', String(Math.min(Math.max(px, p.box.x1), p.box.x2) - tx));
		line.setAttribute('y2', String(Math.min(Math.max(py, p.box.y1), p.box.y2) - ty));
		line.setAttribute('stroke', '#888');
		line.setAttribute('stroke-width', '0.6');
		leaders.appendChild(line);
	});
	if (leaders.childNodes.length) g.insertBefore(leaders, g.firstChild);
	return g;
}
