// Where to put text labels so they do not overlap: a greedy placement over a few candidate
// positions around each labelled point (the spec's own offset first, then mirrored, beside, and
// stepped further away), scored by overlap with the labels already placed and with the labelled
// points, kept inside the plot. Pure geometry in pixels; plot/repel.ts applies it to a text mark.

export interface LabelToPlace {
	/** The labelled point, in pixels. */
	x: number;
	y: number;
	/** The label's box size, in pixels. */
	width: number;
	height: number;
	/** The label's preferred offset from the point (the mark's dx, dy). */
	dx: number;
	dy: number;
	/** Where the text's reference point sits on its box horizontally (SVG text-anchor). */
	anchor: 'start' | 'middle' | 'end';
}

export interface Bounds {
	left: number;
	top: number;
	right: number;
	bottom: number;
}

export interface Box {
	x1: number;
	y1: number;
	x2: number;
	y2: number;
}

export interface Placement {
	/** The text's reference point (where text-anchor and the middle line anchor sit). */
	x: number;
	y: number;
	box: Box;
	/** True when the label moved far enough from its preferred spot to need a leader line. */
	leader: boolean;
}

/** Radius (px) around each labelled point that labels keep clear of. */
const POINT_RADIUS = 3;

const overlap = (a: Box, b: Box) => Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1)) * Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));

/** The horizontal shift from a text's reference point to its box's centre. */
const anchorShift = (label: LabelToPlace) => (label.anchor === 'start' ? label.width / 2 : label.anchor === 'end' ? -label.width / 2 : 0);

/** A box of the label's size centred at (cx, cy), moved inside the bounds where it would stick out. */
function boxAt(label: LabelToPlace, cx: number, cy: number, bounds: Bounds): Box {
	let x1 = cx - label.width / 2;
	let y1 = cy - label.height / 2;
	x1 = Math.min(Math.max(x1, bounds.left), Math.max(bounds.left, bounds.right - label.width));
	y1 = Math.min(Math.max(y1, bounds.top), Math.max(bounds.top, bounds.bottom - label.height));
	return { x1, y1, x2: x1 + label.width, y2: y1 + label.height };
}

/** Candidate box centres for a label, most preferred first. */
function candidates(label: LabelToPlace): [number, number][] {
	const { x, y, width: w, height: h } = label;
	const cx = x + label.dx + anchorShift(label);
	const cy = y + label.dy;
	const gap = POINT_RADIUS + 2;
	const vertical = label.dy !== 0 ? Math.sign(label.dy) : -1; // preferred side: above when dy < 0
	const out: [number, number][] = [[cx, cy]];
	if (label.dy !== 0) out.push([cx, y - label.dy]); // the mirror: below instead of above
	out.push([x + gap + w / 2, y], [x - gap - w / 2, y]); // beside the point
	for (let k = 1; k <= 4; k++) {
		out.push([cx, cy + vertical * k * h], [cx, y - label.dy - vertical * k * h]);
		out.push([x + gap + w / 2, y + vertical * k * h], [x - gap - w / 2, y + vertical * k * h]);
		out.push([x + gap + w / 2, y - vertical * k * h], [x - gap - w / 2, y - vertical * k * h]);
	}
	return out;
}

/**
 * Places every label: in order of the points from top to bottom, left to right, each takes the
 * first candidate that overlaps nothing placed so far (nor any labelled point), else the one that
 * overlaps least. Every box stays inside `bounds` (no label clipped at the plot's edge).
 */
export function placeLabels(labels: readonly LabelToPlace[], bounds: Bounds): Placement[] {
	const points: Box[] = labels.map((l) => ({ x1: l.x - POINT_RADIUS, y1: l.y - POINT_RADIUS, x2: l.x + POINT_RADIUS, y2: l.y + POINT_RADIUS }));
	const order = labels.map((_, i) => i).sort((a, b) => labels[a].y - labels[b].y || labels[a].x - labels[b].x || a - b);
	const placed: Box[] = [];
	const result: Placement[] = new Array(labels.length);
	for (const i of order) {
		const label = labels[i];
		let best: { box: Box; score: number; rank: number } | undefined;
		candidates(label).forEach(([cx, cy], rank) => {
			if (best && best.score === 0) return;
			const box = boxAt(label, cx, cy, bounds);
			let score = 0;
			for (const other of placed) score += overlap(box, other);
			for (const point of points) score += overlap(box, point);
			if (!best || score < best.score) best = { box, score, rank };
		});
		const box = best!.box;
		const [pcx, pcy] = candidates(label)[0];
		const preferred = boxAt(label, pcx, pcy, bounds);
		placed.push(box);
		result[i] = {
			x: (box.x1 + box.x2) / 2 - anchorShift(label),
			y: (box.y1 + box.y2) / 2,
			box,
			leader: Math.hypot(box.x1 - preferred.x1, box.y1 - preferred.y1) > 1.5 * label.height
		};
	}
	return result;
}

/** A rough width of a label in pixels: Plot's sans-serif averages about 0.6 em per character. */
export const estimateTextWidth = (text: string, fontSize: number) => Math.max(...text.split('\n').map((line) => line.length), 0) * fontSize * 0.6;
