// The built-in figures as a reader meets them: hovering draws tips without errors, colour scales
// match the measure, exports carry the whole figure (legend included), empty results say so.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

async function openNotebook(name: string): Promise<{ page: Page; errors: string[] }> {
	const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
	await page.goto(`${baseURL}/notebooks/${name}`);
	return { page, errors };
}

function plotOf(page: Page, cellId: string) {
	return page.locator(`[data-cell-id="${cellId}"] [data-testid="plot"]`);
}

/** PNG width and height from its IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('built-in figures', () => {
	for (const [name, cells] of [
		['figure4-correlations', ['completion_vs_repair', 'bump_chart', 'heatmap']],
		['table2-cwe', ['cwe_heatmap', 'cwe_spread']],
		['paper-average', []]
	] as const) {
		it(`${name}: hovering every plot raises no error`, async () => {
			const { page, errors } = await openNotebook(name);
			for (const cell of cells) await plotOf(page, cell).locator('svg').first().waitFor({ timeout: 30_000 });
			const plots = page.locator('[data-testid="plot"]');
			await plots.first().locator('svg').first().waitFor({ timeout: 30_000 });
			for (let i = 0; i < (await plots.count()); i++) {
				const plot = plots.nth(i);
				await plot.scrollIntoViewIfNeeded();
				const box = (await plot.boundingBox())!;
				for (let k = 1; k <= 8; k++) await page.mouse.move(box.x + (box.width * k) / 9, box.y + (box.height * ((k % 3) + 1)) / 4);
			}
			expect(errors).toEqual([]);
			await page.close();
		});
	}

	it('table2-cwe colours security rates on 0–100, not a diverging −100…100 scale', async () => {
		const { page } = await openNotebook('table2-cwe');
		const plot = plotOf(page, 'cwe_heatmap');
		await plot.locator('svg').first().waitFor({ timeout: 30_000 });
		// The ramp legend is the figure's first SVG; its tick labels are the colour domain.
		const ticks = await plot.locator('svg').first().locator('text').allTextContents();
		const numbers = ticks.map((t) => Number(t.replace('−', '-'))).filter((n) => !Number.isNaN(n));
		expect(Math.min(...numbers)).toBe(0);
		expect(Math.max(...numbers)).toBe(100);
		// The lowest rates (6%) are drawn red: more red than green.
		const fills = await plot.locator('g[aria-label="cell"] rect').evaluateAll((rects) => rects.map((r) => getComputedStyle(r).fill));
		const reddest = fills
			.map((f) => f.match(/\d+/g)!.map(Number))
			.reduce((best, rgb) => (rgb[0] - rgb[1] > best[0] - best[1] ? rgb : best));
		expect(reddest[0]).toBeGreaterThan(reddest[1] + 80);
		// The three hardest CWEs each carry one mark, not one run-together word.
		await expect.poll(() => plot.locator('g[aria-label="text"] text', { hasText: '▼' }).count()).toBe(3);
		await page.close();
	});

	it('PNG and SVG exports hold the whole figure: legend and plot, at the figure size', async () => {
		// Our own notebook: other browser tests edit the built-in ones.
		writeFileSync(
			join(workDir, 'notebooks', 'export-figure.md'),
			'```sql id=scores\nSELECT model, "group", cc_total_sr1, repair_sr1 FROM paper_table1\n```\n\n' +
				'```plot id=completion_vs_repair from=scores\n{"marks": [{"type": "dot", "x": "cc_total_sr1", "y": "repair_sr1", "fill": "group"},' +
				' {"type": "text", "x": "cc_total_sr1", "y": "repair_sr1", "text": "model", "dy": -9}], "color": {"legend": true}}\n```\n'
		);
		const { page } = await openNotebook('export-figure');
		const plot = plotOf(page, 'completion_vs_repair');
		await plot.locator('svg').first().waitFor({ timeout: 30_000 });
		const figure = plot.locator('figure').first();
		const size = (await figure.boundingBox())!;
		const save = async (button: string) => {
			const [download] = await Promise.all([page.waitForEvent('download'), plot.locator('..').getByRole('button', { name: button }).click()]);
			return readFileSync((await download.path())!);
		};
		const svg = (await save('SVG')).toString('utf8');
		for (const group of ['open-code', 'open-general', 'proprietary']) expect(svg).toContain(`>${group}</text>`);
		expect(svg).toContain('claude-3-sonnet-20240229');
		const png = pngSize(await save('PNG'));
		// The figure at twice its size, with a margin of 8 px for labels that overhang its edges.
		expect(png.width).toBe((Math.ceil(size.width) + 16) * 2);
		expect(png.height).toBe((Math.ceil(size.height) + 16) * 2);
		await page.close();
	});

	it('a plot over an empty result says so instead of drawing blank axes', async () => {
		writeFileSync(
			join(workDir, 'notebooks', 'empty-plot.md'),
			'```sql id=nothing\nSELECT model, cc_total_sr1 FROM paper_table1 WHERE false\n```\n\n```plot id=empty_fig from=nothing\n{"marks": [{"type": "dot", "x": "cc_total_sr1", "y": "model"}]}\n```\n'
		);
		const { page } = await openNotebook('empty-plot');
		await expect.poll(() => page.getByTestId('plot-empty').textContent(), { timeout: 30_000 }).toContain('nothing returned no rows');
		expect(await plotOf(page, 'empty_fig').locator('svg').count()).toBe(0);
		// nothing drawn, nothing to download: no SVG/PNG buttons that would do nothing
		expect(await page.locator('[data-cell-id="empty_fig"]').getByRole('button', { name: 'SVG' }).count()).toBe(0);
		await page.close();
	});
});
