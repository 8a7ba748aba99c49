// The "repel" render transform on a text mark's drawn group: labels of near-identical points are
// moved apart (on the index Plot really passes, a Uint32Array) and a far-moved label gets a leader.
// A minimal stand-in for the few SVG DOM calls it makes; the browser test draws it for real.
import { describe, expect, it } from 'vitest';
import { repelLabels } from '../../../src/lib/workbench/plot/repel.ts';

class FakeElement {
	attrs: Record<string, string> = {};
	children: FakeElement[] = [];
	ownerDocument = { createElementNS: (_ns: string, tag: string) => new FakeElement(tag) };
	constructor(readonly tagName: string) {}
	get childNodes() {
		return this.children;
	}
	get firstChild() {
		return this.children[0] ?? null;
	}
	getAttribute(k: string) {
		return this.attrs[k] ?? null;
	}
	setAttribute(k: string, v: string) {
		this.attrs[k] = v;
	}
	appendChild(c: FakeElement) {
		this.children.push(c);
	}
	insertBefore(c: FakeElement) {
		this.children.unshift(c);
	}
}

const translate = (el: FakeElement) => (/translate\(([-\d.e]+),([-\d.e]+)\)/.exec(el.getAttribute('transform') ?? '') ?? []).slice(1).map(Number);

describe('repelLabels', () => {
	it('moves overlapping labels apart inside the figure, from the Uint32Array index Plot passes', () => {
		const g = new FakeElement('g');
		g.setAttribute('transform', 'translate(0.5,-8.5)'); // Plot: half a pixel plus dy
		const xs = [200, 202, 380];
		const ys = [150, 151, 150];
		for (let i = 0; i < xs.length; i++) {
			const text = new FakeElement('text');
			text.setAttribute('transform', `translate(${xs[i]},${ys[i]})`);
			g.children.push(text);
		}
		const out = repelLabels.call(
			{ dx: 0, dy: -9, fontSize: 9 },
			Uint32Array.from([0, 1, 2]),
			{},
			{ x: Float64Array.from(xs), y: Float64Array.from(ys), text: ['GPT-3.5-Turbo', 'LLAMA2-13B-chat', 'Qwen1.5-7B-Chat'] },
			{ width: 400, height: 300, marginTop: 20, marginRight: 20, marginBottom: 30, marginLeft: 40 },
			{},
			() => g as unknown as SVGElement
		) as unknown as FakeElement;
		const texts = out.children.filter((c) => c.tagName === 'text');
		const [a, b, c] = texts.map(translate);
		for (const p of [a, b, c]) expect(p.every(Number.isFinite)).toBe(true);
		// The first keeps its place (above its point); the second no longer sits on it.
		expect(a).toEqual([200, 150]); // unchanged: the group already carries dx, dy
		expect(Math.abs(b[1] - a[1]) >= 10.8 || Math.abs(b[0] - a[0]) > 60).toBe(true);
		// The label at the right edge (middle-anchored, ~81px wide) is pulled in to end inside the 400px figure.
		expect(c[0] + 0.5 + (15 * 9 * 0.6 + 2) / 2).toBeLessThanOrEqual(400);
	});
});
