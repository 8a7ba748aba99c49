import { describe, expect, it } from 'vitest';
import {
	checkHost,
	checkRequest,
	checkStateChange,
	defaultAllowedHosts,
	isSafeMethod,
	type GuardResult
} from '../../../src/lib/server/guards.ts';

const PORT = 5173;
const opts = { allowedHosts: defaultAllowedHosts(PORT) };

function request(method: string, headers: Record<string, string>, url = `http://127.0.0.1:${PORT}/api/x`) {
	return { method, headers: new Headers(headers), url: new URL(url) };
}

function denied(result: GuardResult): string {
	expect(result.ok).toBe(false);
	if (result.ok) throw new Error('unreachable');
	expect(result.status).toBe(403);
	return result.reason;
}

const OUR_HOSTS = [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`];
const CHANGING_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'post', 'PROPFIND'];

describe('defaultAllowedHosts', () => {
	it('lists the three loopback spellings with the port', () => {
		expect(defaultAllowedHosts(5173)).toEqual(OUR_HOSTS);
	});
	it('adds the port-less forms for port 80, which browsers omit from Host', () => {
		expect(defaultAllowedHosts(80)).toEqual(['127.0.0.1:80', 'localhost:80', '[::1]:80', '127.0.0.1', 'localhost', '[::1]']);
	});
});

describe('isSafeMethod', () => {
	it('treats GET, HEAD and OPTIONS (any case) as safe, all else as changing', () => {
		for (const m of ['GET', 'HEAD', 'OPTIONS', 'get', 'Head']) expect(isSafeMethod(m), m).toBe(true);
		for (const m of CHANGING_METHODS) expect(isSafeMethod(m), m).toBe(false);
	});
});

describe('checkHost (DNS rebinding)', () => {
	it.each(OUR_HOSTS)('accepts Host %s', (host) => {
		expect(checkHost(request('GET', { host }), opts)).toEqual({ ok: true });
	});

	it('ignores letter case in the host', () => {
		expect(checkHost(request('GET', { host: `LocalHost:${PORT}` }), opts)).toEqual({ ok: true });
	});

	it.each([
		['a rebound domain', `evil.example:${PORT}`],
		['the right name on another port', 'localhost:8080'],
		['no port', 'localhost'],
		['a trailing dot', `localhost.:${PORT}`],
		['the LAN address', `192.168.1.10:${PORT}`],
		['0.0.0.0', `0.0.0.0:${PORT}`],
		['a subdomain of localhost', `a.localhost:${PORT}`],
		['userinfo', `127.0.0.1:${PORT}@evil.example`],
		['two hosts', `127.0.0.1:${PORT}, evil.example`],
		['unbracketed IPv6', `::1:${PORT}`]
	])('rejects %s', (_label, host) => {
		expect(denied(checkHost(request('GET', { host }), opts))).toContain('is not one of');
	});

	it('rejects a missing Host header', () => {
		expect(denied(checkHost(request('GET', {}), opts))).toBe('missing Host header');
	});

	it('rejects everything when no host is allowed', () => {
		expect(denied(checkHost(request('GET', { host: `127.0.0.1:${PORT}` }), { allowedHosts: [] }))).toContain('(none configured)');
	});

	it('does not trust the URL: only the Host header counts', () => {
		const req = request('GET', { host: `evil.example:${PORT}` }, `http://127.0.0.1:${PORT}/`);
		denied(checkHost(req, opts));
	});

	it('quotes and shortens the attacker-chosen value in the reason', () => {
		const reason = denied(checkHost(request('GET', { host: 'x'.repeat(300) }), opts));
		expect(reason.length).toBeLessThan(250);
		expect(reason).toContain('"xxx');
	});
});

describe('checkStateChange (CSRF)', () => {
	describe.each(OUR_HOSTS)('on host %s', (host) => {
		it.each(CHANGING_METHODS)('accepts %s with the matching Origin', (method) => {
			expect(checkStateChange(request(method, { host, origin: `http://${host}` }), opts)).toEqual({ ok: true });
		});
		it('accepts it with Sec-Fetch-Site: same-origin too', () => {
			const req = request('POST', { host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' });
			expect(checkStateChange(req, opts)).toEqual({ ok: true });
		});
	});

	it.each(CHANGING_METHODS)('rejects %s without an Origin header', (method) => {
		const reason = denied(checkStateChange(request(method, { host: OUR_HOSTS[0] }), opts));
		expect(reason).toContain('missing Origin header');
	});

	it('rejects a missing Origin even when Sec-Fetch-Site says same-origin', () => {
		const req = request('POST', { host: OUR_HOSTS[0], 'sec-fetch-site': 'same-origin' });
		expect(denied(checkStateChange(req, opts))).toContain('missing Origin header');
	});

	it.each([
		['another site', 'http://evil.example'],
		['another port', 'http://127.0.0.1:8080'],
		['another loopback name', `http://localhost:${PORT}`],
		['https', `https://127.0.0.1:${PORT}`],
		['the null origin (sandboxed iframe, file://)', 'null'],
		['a trailing slash', `http://127.0.0.1:${PORT}/`],
		['a path', `http://127.0.0.1:${PORT}/api`],
		['an empty value', '']
	])('rejects an Origin from %s', (_label, origin) => {
		const req = request('POST', { host: `127.0.0.1:${PORT}`, origin });
		const reason = denied(checkStateChange(req, opts));
		expect(reason).toMatch(/does not match|missing Origin/);
	});

	it('rejects a matching Origin on a foreign Host (DNS rebinding + POST)', () => {
		const host = `evil.example:${PORT}`;
		const reason = denied(checkStateChange(request('POST', { host, origin: `http://${host}` }), opts));
		expect(reason).toContain('is not one of');
	});

	it.each(['cross-site', 'same-site', 'none'])('rejects Sec-Fetch-Site: %s even with a matching Origin', (site) => {
		const host = OUR_HOSTS[0];
		const req = request('PUT', { host, origin: `http://${host}`, 'sec-fetch-site': site });
		expect(denied(checkStateChange(req, opts))).toContain('Sec-Fetch-Site');
	});

	it.each(['GET', 'HEAD', 'OPTIONS'])('lets %s through without Origin (reads are guarded by checkHost)', (method) => {
		expect(checkStateChange(request(method, { host: OUR_HOSTS[0] }), opts)).toEqual({ ok: true });
	});
});

describe('checkRequest (both, for a server hook)', () => {
	it('checks Host on reads', () => {
		denied(checkRequest(request('GET', { host: `evil.example:${PORT}` }), opts));
		expect(checkRequest(request('GET', { host: OUR_HOSTS[1] }), opts)).toEqual({ ok: true });
	});
	it('checks Host and Origin on changes', () => {
		const host = OUR_HOSTS[2];
		expect(checkRequest(request('DELETE', { host, origin: `http://${host}` }), opts)).toEqual({ ok: true });
		denied(checkRequest(request('DELETE', { host }), opts));
		denied(checkRequest(request('DELETE', { host, origin: 'http://evil.example' }), opts));
	});
});

// Another site's page may make the browser GET our API (an <img>, <link rel=prefetch>, an
// EventSource, fetch with no-cors): it cannot read the answer, but the request runs — a
// first-paint recording starts a Deno child, an event stream stays open — and whether it
// loaded tells the page whether a notebook, run or table of that name exists (an XS-leak).
// Browsers say where a request comes from (Sec-Fetch-Site); only navigations may come from elsewhere.
describe('checkRequest: reads from another site (Fetch Metadata)', () => {
	const host = OUR_HOSTS[0];
	const from = (site: string, mode: string, dest: string, extra: Record<string, string> = {}) =>
		request('GET', { host, 'sec-fetch-site': site, 'sec-fetch-mode': mode, 'sec-fetch-dest': dest, ...extra }, `http://${host}/api/notebooks/x/first-paint`);

	it('refuses a subresource or script request another site makes', () => {
		expect(denied(checkRequest(from('cross-site', 'no-cors', 'image'), opts))).toMatch(/Sec-Fetch-Site "cross-site"/);
		denied(checkRequest(from('cross-site', 'cors', 'empty', { origin: 'http://evil.example' }), opts)); // EventSource, fetch
		denied(checkRequest(from('same-site', 'no-cors', 'script'), opts)); // another port on 127.0.0.1
		denied(checkRequest(from('CROSS-SITE', 'no-cors', 'empty'), opts));
		denied(checkRequest({ ...from('cross-site', 'navigate', 'object'), method: 'GET' }, opts)); // <object>/<embed> are not navigations
		denied(checkRequest({ ...from('cross-site', 'navigate', 'document'), method: 'POST' }, opts)); // a form post, already refused without Origin
	});

	it('lets a link from another site open a page, and our own page, the address bar and scripts read', () => {
		expect(checkRequest(from('cross-site', 'navigate', 'document'), opts)).toEqual({ ok: true });
		expect(checkRequest(from('same-origin', 'cors', 'empty'), opts)).toEqual({ ok: true });
		expect(checkRequest(from('none', 'navigate', 'document'), opts)).toEqual({ ok: true });
		expect(checkRequest(request('GET', { host }), opts)).toEqual({ ok: true }); // curl, the CLI, tests
	});
});
