/**
 * Request guards for a workbench that listens on the loopback interface.
 *
 * Listening on 127.0.0.1 keeps other machines out, but not web pages: any site the user has
 * open can make the browser send requests to http://127.0.0.1:<port>.
 *
 * - CSRF: a page can POST (forms, fetch with no-cors) to our API. The browser attaches an
 *   Origin header it will not let the page forge, so state-changing requests must carry our
 *   own origin.
 * - DNS rebinding: a page at http://evil.example can re-point evil.example at 127.0.0.1 and
 *   then read our responses as same-origin. The browser still sends `Host: evil.example:<port>`,
 *   so every request — reads of data included — must name one of our own hosts.
 * - Cross-site reads: a page can make the browser GET our API (an image, a prefetch, an
 *   EventSource) without reading the answer; the request still runs and its success leaks
 *   whether a name exists. Requests the browser marks as from another site pass only as
 *   navigations (checkCrossSite).
 *
 * The Host rules live in ./listen-rules.js, which bin/start.js also applies to the static files
 * it serves before any of this runs.
 */
import { isAllowedHost } from './listen-rules.js';

export { allowedHosts, defaultAllowedHosts } from './listen-rules.js';

export interface GuardRequest {
	method: string;
	headers: Headers;
	/**
	 * Accepted for the caller's convenience and deliberately not used: SvelteKit's adapter-node
	 * builds event.url from its ORIGIN / PROTOCOL_HEADER / HOST_HEADER settings, not from what
	 * the browser sent; the guards must judge the raw headers.
	 */
	url: URL;
}

export interface GuardOptions {
	/** `host:port` values, as a browser writes them in the Host header. */
	allowedHosts: string[];
}

export type GuardResult = { ok: true } | { ok: false; status: 403; reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
	return SAFE_METHODS.has(method.toUpperCase());
}

/** Host must be one of ours (DNS-rebinding guard). Use on every request that returns data. */
export function checkHost(req: Pick<GuardRequest, 'headers'>, opts: GuardOptions): GuardResult {
	const host = req.headers.get('host');
	if (host === null || host === '') return deny('missing Host header');
	if (!isAllowedHost(host, opts.allowedHosts)) {
		return deny(`Host ${show(host)} is not one of ${opts.allowedHosts.join(', ') || '(none configured)'}`);
	}
	return { ok: true };
}

/**
 * For methods other than GET/HEAD/OPTIONS: Host must be one of ours and Origin must be present
 * and equal to `http://<that host>`. Safe methods pass here; guard their data with checkHost.
 *
 * Why Origin is required, with no fallback to `Sec-Fetch-Site: same-origin` when it is absent:
 * every current browser sends Origin on every non-GET/HEAD request, cross-site ones included,
 * so a request without it is not a same-origin browser request we would break. Browsers that
 * omit Origin are exactly the old ones that also lack Fetch Metadata, and where a privacy
 * setting strips one header it may strip the other. Accepting "no Origin" would open a gap for
 * the one kind of request we cannot vouch for. Scripts and the CLI are not browsers: they can
 * send an Origin header themselves.
 */
export function checkStateChange(req: GuardRequest, opts: GuardOptions): GuardResult {
	if (isSafeMethod(req.method)) return { ok: true };
	const hostCheck = checkHost(req, opts);
	if (!hostCheck.ok) return hostCheck;

	const origin = req.headers.get('origin');
	if (origin === null || origin === '') {
		return deny(`missing Origin header on a ${req.method.toUpperCase()} request (required for changes)`);
	}
	const expected = `http://${req.headers.get('host')!}`.toLowerCase();
	if (origin.toLowerCase() !== expected) {
		return deny(`Origin ${show(origin)} does not match ${expected}`);
	}
	// Defence in depth: a browser that says the request is not same-origin is believed.
	const fetchSite = req.headers.get('sec-fetch-site');
	if (fetchSite !== null && fetchSite.toLowerCase() !== 'same-origin') {
		return deny(`Sec-Fetch-Site is ${show(fetchSite)}, not same-origin`);
	}
	return { ok: true };
}

/**
 * Another site's page may make the browser send us a GET it cannot read the answer of (an
 * `<img>`, `<link rel=prefetch>`, an EventSource): the request still runs (a first-paint
 * recording starts a child process, an event stream stays open) and whether it loaded tells
 * that page whether a notebook, run or table of that name exists. Browsers name the request's
 * source (Fetch Metadata): from another site (`cross-site`, or `same-site` — another port on
 * 127.0.0.1) only a top-level navigation passes: a link may open a page. Requests without the
 * header (scripts, the CLI, older browsers) are judged by the other guards.
 */
export function checkCrossSite(req: Pick<GuardRequest, 'method' | 'headers'>): GuardResult {
	const site = req.headers.get('sec-fetch-site');
	if (site === null) return { ok: true };
	const from = site.toLowerCase();
	if (from === 'same-origin' || from === 'none') return { ok: true };
	const mode = req.headers.get('sec-fetch-mode')?.toLowerCase();
	const dest = req.headers.get('sec-fetch-dest')?.toLowerCase();
	const navigation = mode === 'navigate' && isSafeMethod(req.method) && dest !== 'object' && dest !== 'embed';
	if (navigation) return { ok: true };
	return deny(`Sec-Fetch-Site ${show(site)}: another site may link to a page here, not request anything else`);
}

/** Every guard in one call, for a server hook: Host on every request, Origin on changes, Fetch Metadata on reads from other sites. */
export function checkRequest(req: GuardRequest, opts: GuardOptions): GuardResult {
	const hostCheck = checkHost(req, opts);
	if (!hostCheck.ok) return hostCheck;
	const change = checkStateChange(req, opts);
	return change.ok ? checkCrossSite(req) : change;
}

function deny(reason: string): GuardResult {
	return { ok: false, status: 403, reason };
}

/** Header values are attacker-chosen: quote them and keep them short in messages. */
function show(value: string): string {
	return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
