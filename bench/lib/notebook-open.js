// "Opening figure4-correlations to a drawn plot": start the built app, then time fresh page
// loads of the notebook until its plot's <svg> is in the DOM. Any reason it cannot be measured
// is returned as { skipped } so the rest of the benchmark still reports.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const PLOT_SELECTOR = '[data-testid="plot"] svg';
const WAIT_MS = 60_000; // generous: these machines are shared and often loaded


async function waitForHttp(origin, app, deadline) {
	while (Date.now() < deadline) {
		if (app.exitCode !== null) throw new Error(`build/index.js exited with code ${app.exitCode}`);
		try {
			await fetch(origin + '/');
			return;
		} catch {
			await new Promise((ok) => setTimeout(ok, 100));
		}
	}
	throw new Error(`the built app did not answer on ${origin} within ${WAIT_MS / 1000} s`);
}

/** Thrown when the plot never appears: the whole measurement is then reported as skipped. */
class PlotMissing extends Error {}

/**
 * One timed page load in `context`. Timed inside the page, from navigation start to the first
 * node matching the selector, so Playwright's polling interval is not part of the figure. The
 * wait is a promise the init script resolves, awaited with one page.evaluate: Playwright's
 * waitForFunction would inject its selector engine into the page (~100 ms of parse and compile
 * on a 2-core machine, in the middle of the load it measures).
 * @returns {Promise<{ plotMs: number, domContentLoadedMs: number, pageRequestsDoneMs: number, marks: Record<string, number> }>}
 */
async function timeOneLoad(context, url) {
	const page = await context.newPage();
	try {
		await page.addInitScript((selector) => {
			let drawn = () => {};
			window.__plotDrawn = new Promise((resolve) => (drawn = resolve));
			const seen = () => {
				if (window.__plotDrawnAt === undefined && document.querySelector(selector)) {
					window.__plotDrawnAt = performance.now();
					drawn(window.__plotDrawnAt);
				}
			};
			new MutationObserver(seen).observe(document, { childList: true, subtree: true });
		}, PLOT_SELECTOR);
		await page.goto(url, { waitUntil: 'commit' });
		let timer;
		const timeout = new Promise((resolve) => (timer = setTimeout(resolve, WAIT_MS, 'timeout')));
		const drawn = await Promise.race([page.evaluate(() => window.__plotDrawn).catch((e) => e), timeout]);
		clearTimeout(timer);
		if (typeof drawn !== 'number') {
			const title = await page.title().catch(() => '?');
			throw new PlotMissing(`${PLOT_SELECTOR} did not appear at ${url} within ${WAIT_MS / 1000} s (page title: ${JSON.stringify(title)})`);
		}
		// Where the time went, as far as the page can see (the DuckDB worker's own fetches and the
		// wasm compile are not in the page's resource timeline): the covw:* marks are the page's.
		return await page.evaluate(() => ({
			plotMs: window.__plotDrawnAt,
			domContentLoadedMs: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? NaN,
			pageRequestsDoneMs: Math.max(0, ...performance.getEntriesByType('resource').filter((r) => r.startTime < window.__plotDrawnAt).map((r) => r.responseEnd)),
			marks: Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('covw:')).map((m) => [m.name.slice(5).replace(/ \(.*/, ''), m.startTime]))
		}));
	} finally {
		await page.close();
	}
}

/**
 * Fresh loads (a new context each: empty HTTP and wasm code caches, like a first visit), then
 * warm ones (new tabs in one context after a first untimed load, like a returning visit).
 * `setup`: called with each new context before its loads (e.g. to route requests for an A/B).
 * @param {{ browser: import('playwright-core').Browser, url: string, freshRuns: number, warmRuns: number, setup?: (context: import('playwright-core').BrowserContext) => Promise<void> }} options
 */
export async function timeLoads({ browser, url, freshRuns, warmRuns, setup }) {
	const inContext = async (use) => {
		const context = await browser.newContext();
		await setup?.(context);
		try {
			return await use(context);
		} finally {
			await context.close();
		}
	};
	const fresh = [];
	for (let i = 0; i < freshRuns; i++) fresh.push(await inContext((context) => timeOneLoad(context, url)));
	const warm = await inContext(async (context) => {
		await timeOneLoad(context, url);
		const loads = [];
		for (let i = 0; i < warmRuns; i++) loads.push(await timeOneLoad(context, url));
		return loads;
	});
	return { fresh, warm };
}

/**
 * @param {{ root: string, browser: import('playwright-core').Browser, freshRuns: number, warmRuns: number, notebook: string }} options
 * @returns {Promise<{ fresh: Awaited<ReturnType<typeof timeOneLoad>>[], warm: Awaited<ReturnType<typeof timeOneLoad>>[] } | { skipped: string }>}
 */
export async function timeNotebookOpen({ root, browser, freshRuns, warmRuns, notebook }) {
	if (!existsSync(join(root, 'build/index.js'))) return { skipped: `no built app at ${join(root, 'build/index.js')} (run \`npm run build\`)` };
	const entry = join(root, 'bin/start.js'); // as users start it (with its cross-origin isolation headers)
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	let appLog = '';
	const app = spawn(process.execPath, [entry], {
		cwd: root,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), COVW_ROOT: root },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const keep = (d) => (appLog = (appLog + d).slice(-2000));
	app.stdout.on('data', keep);
	app.stderr.on('data', keep);
	try {
		await waitForHttp(origin, app, Date.now() + WAIT_MS);
		return await timeLoads({ browser, url: `${origin}/notebooks/${notebook}`, freshRuns, warmRuns });
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		const tail = appLog.trim() ? `; app output: ${appLog.trim().split('\n').slice(-3).join(' | ')}` : '';
		return { skipped: error instanceof PlotMissing ? reason : reason + tail };
	} finally {
		app.kill();
	}
}
