// What a notebook page asks for first (app.html's early requests: the notebook file, its
// first-paint recording, the table listing), answered inside the page's own HTML
// (hooks.server.ts) instead of in three more round trips: on a loaded 2-core machine those
// answers, queued behind the app's scripts and competing with them for the cores, were often
// the last thing the first paint waited for. Each answer is the API route's own (status and
// body, computed by calling the route's handler), written as JSON in a data block that never
// runs; app.html turns each back into a Response. An answer that fails is left out: the page
// asks for it over HTTP as before.

/** Where app.html wants the answers: before its early-request script. */
export const EARLY_MARK = '<!--covw-early-answers-->';
/** The data block's id (app.html reads it). */
export const EARLY_BLOCK_ID = 'covw-early';

export interface EarlyAnswer {
	status: number;
	/** The body as text; null for a bodiless status (204). */
	body: string | null;
}

/** The early answers, by the keys app.html uses. */
export type EarlyAnswers = Partial<Record<'notebook' | 'firstPaint' | 'tables', EarlyAnswer>>;

/** The notebook a page path opens, or null (the same rule as app.html's). */
export function notebookOfPagePath(pathname: string): string | null {
	const m = /^\/notebooks\/([^/]+)\/?$/.exec(pathname);
	if (!m) return null;
	try {
		return decodeURIComponent(m[1]);
	} catch {
		return null;
	}
}

/** Reads a route's Response; one that throws is left out. */
export async function answerOf(respond: () => Promise<Response> | Response): Promise<EarlyAnswer | undefined> {
	try {
		const response = await respond();
		const body = response.status === 204 || response.status === 304 ? null : await response.text();
		return { status: response.status, body };
	} catch {
		return undefined;
	}
}

/** The data block for the page: JSON with every `<` escaped, so no text in it can end the block. */
export function earlyBlock(answers: EarlyAnswers): string {
	const json = JSON.stringify(answers).replace(/</g, '\\u003c');
	return `<script type="application/json" id="${EARLY_BLOCK_ID}">${json}</script>`;
}

/** Puts the block where app.html marked its place (the page is unchanged without the mark). */
export function withEarlyAnswers(html: string, answers: EarlyAnswers): string {
	return html.includes(EARLY_MARK) ? html.replace(EARLY_MARK, () => earlyBlock(answers)) : html;
}
