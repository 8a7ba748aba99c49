// Text labels placed without collisions (the "repel" option of text marks): two labels of
// near-identical points no longer overlap, labels stay inside the plot, a lone label keeps the
// spec's own offset.
import { describe, expect, it } from 'vitest';
import { estimateTextWidth, placeLabels, type Box, type LabelToPlace } from '../../../src/lib/workbench/plot/label-placement.ts';

const bounds = { left: 0, top: 0, right: 400, bottom: 300 };
const label = (x: number, y: number, text: string, extra: Partial<LabelToPlace> = {}): LabelToPlace => ({
	x,
	y,
	width: estimateTextWidth(text, 9),
	height: 11,
	dx: 0,
	dy: -9,
	anchor: 'middle',
	...extra
});
const overlaps = (a: Box, b: Box) => Math.min(a.x2, b.x2) > Math.max(a.x1, b.x1) && Math.min(a.y2, b.y2) > Math.max(a.y1, b.y1);

describe('placeLabels', () => {
	it('keeps a lone label at its preferred offset', () => {
		const [p] = placeLabels([label(200, 150, 'GPT-4')], bounds);
		expect(p.x).toBeCloseTo(200);
		expect(p.y).toBeCloseTo(141);
		expect(p.leader).toBe(false);
	});

	it('separates the labels of two near-identical points (the GPT-3.5-Turbo / LLAMA2-13B-chat case)', () => {
		const labels = [label(200, 150, 'GPT-3.5-Turbo'), label(202, 151, 'LLAMA2-13B-chat')];
		// Without placement both sit at their preferred offset and overlap.
		const naive = labels.map((l) => ({ x1: l.x - l.width / 2, y1: l.y + l.dy - l.height / 2, x2: l.x + l.width / 2, y2: l.y + l.dy + l.height / 2 }));
		expect(overlaps(naive[0], naive[1])).toBe(true);
		const [a, b] = placeLabels(labels, bounds);
		expect(overlaps(a.box, b.box)).toBe(false);
	});

	it('places a crowd of labels with no two overlapping and none covering a labelled point', () => {
		const crowd = Array.from({ length: 8 }, (_, i) => label(150 + (i % 4) * 6, 120 + Math.floor(i / 4) * 5, `model-${i}-long-name`));
		const placed = placeLabels(crowd, bounds);
		for (let i = 0; i < placed.length; i++) {
			for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i].box, placed[j].box), `${i} vs ${j}`).toBe(false);
			for (const point of crowd) {
				const dot = { x1: point.x - 3, y1: point.y - 3, x2: point.x + 3, y2: point.y + 3 };
				expect(overlaps(placed[i].box, dot)).toBe(false);
			}
		}
	});

	it('keeps labels inside the plot instead of clipping them at the edge', () => {
		const [right, left] = placeLabels([label(398, 150, 'Qwen1.5-7B-Chat'), label(2, 10, 'CodeLlama-13B')], bounds);
		expect(right.box.x2).toBeLessThanOrEqual(400);
		expect(left.box.x1).toBeGreaterThanOrEqual(0);
		expect(left.box.y1).toBeGreaterThanOrEqual(0);
	});

	it('honours text-anchor: a start-anchored label extends to the right of its reference point', () => {
		const [p] = placeLabels([label(100, 100, 'abc', { anchor: 'start', dx: 8, dy: 0 })], bounds);
		expect(p.x).toBeCloseTo(108);
		expect(p.box.x1).toBeCloseTo(108);
	});
});
