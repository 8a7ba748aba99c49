// The /reference page draws what each decoration example says: an axis or grid mark takes its
// options (anchor, label, ticks) and draws its ticks. A second, undefined argument once made
// Plot read the options as data: the axisFx example showed facets without their names, axisX
// stayed at the bottom, axisY on the left, and gridX/gridY drew no line.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
	page.on('pageerror', (error) => errors.push(error.message));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
	await page.goto(`${baseURL}/reference`);
	await page.locator('[data-example="axisFx"] [data-testid="example-figure"] svg').waitFor({ timeout: 30_000 });
});
afterAll(async () => {
	await browser?.close();
});

const figure = (name: string): Locator => page.locator(`[data-example="${name}"] [data-testid="example-figure"] svg`).first();

/** Texts of a Plot group (by its aria-label) and their on-screen centres. */
async function texts(svg: Locator, ariaLabel: string) {
	return svg.locator(`g[aria-label="${ariaLabel}"] text`).evaluateAll((nodes) =>
		nodes.map((n) => {
			const r = n.getBoundingClientRect();
			return { text: n.textContent ?? '', x: r.x + r.width / 2, y: r.y + r.height / 2 };
		})
	);
}
async function dotBounds(svg: Locator) {
	const boxes = await svg.locator('g[aria-label="dot"] circle').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, bottom: r.bottom, right: r.right })));
	expect(boxes.length).toBeGreaterThan(0);
	return { top: Math.min(...boxes.map((b) => b.y)), bottom: Math.max(...boxes.map((b) => b.bottom)), right: Math.max(...boxes.map((b) => b.right)) };
}

describe('reference: decoration examples', () => {
	it('axisFx names each facet, at the bottom', async () => {
		const svg = figure('axisFx');
		const names = await texts(svg, 'fx-axis tick label');
		expect(names.map((n) => n.text).sort()).toEqual(['closed', 'open']);
		const dots = await dotBounds(svg);
		for (const n of names) expect(n.y).toBeGreaterThan(dots.bottom);
		// "label": null: no axis title ("group") drawn
		expect(await svg.locator('g[aria-label="fx-axis label"]').count()).toBe(0);
	});

	it('axisFy names each facet, on the left', async () => {
		const svg = figure('axisFy');
		const names = await texts(svg, 'fy-axis tick label');
		expect(names.map((n) => n.text).sort()).toEqual(['closed', 'open']);
		const dot = (await svg.locator('g[aria-label="dot"] circle').first().boundingBox())!;
		for (const n of names) expect(n.x).toBeLessThan(dot.x + 200); // left part of the figure
	});

	it('axisX at the top with its label, axisY on the right with ticks', async () => {
		const x = figure('axisX');
		const xTicks = await texts(x, 'x-axis tick label');
		expect(xTicks.length).toBeGreaterThan(2);
		const xDots = await dotBounds(x);
		for (const t of xTicks) expect(t.y).toBeLessThan(xDots.top);
		expect(await x.locator('g[aria-label="x-axis label"]').textContent()).toContain('completion (%)');

		const y = figure('axisY');
		const yTicks = await texts(y, 'y-axis tick label');
		expect(yTicks.length).toBeGreaterThan(2);
		const yDots = await dotBounds(y);
		for (const t of yTicks) expect(t.x).toBeGreaterThan(yDots.right - 1);
	});

	it('gridX and gridY draw their lines', async () => {
		for (const [name, aria] of [['gridX', 'x-grid'], ['gridY', 'y-grid'], ['gridFx', 'fx-grid'], ['gridFy', 'fy-grid']]) {
			expect(await figure(name).locator(`g[aria-label="${aria}"] line, g[aria-label="${aria}"] path`).count(), name).toBeGreaterThan(1);
		}
		expect(errors).toEqual([]);
	});
});
