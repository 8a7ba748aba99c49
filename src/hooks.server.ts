// Every request passes the loopback guards: the Host must be one of ours (DNS rebinding) and a
// state change must come from our own origin (CSRF); from another site only navigations pass
// (Fetch Metadata). See $lib/server/guards.ts for why.
import type { Handle, ServerInit } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { allowedHosts as hostsFor, checkRequest } from '$lib/server/guards.ts';
import { applySecurityHeaders } from '$lib/server/security-headers.ts';

const port = process.env.PORT ?? (dev ? '5173' : '3000');
// COVW_ALLOWED_HOSTS adds names (host:port, comma-separated) for users who serve beyond loopback.
const allowedHosts = hostsFor(port, process.env);

// The server's objects and the libraries under them (Arrow, the run tables' schema, the judges)
// loaded before the server takes requests (kit awaits `init` first): evaluated at the first
// request instead, they held the event loop ~70 ms in one piece (bench/cold-listing.js).
export const init: ServerInit = async () => {
	await import('$lib/server/app-objects.ts');
};

export const handle: Handle = async ({ event, resolve }) => {
	const verdict = checkRequest(
		{ method: event.request.method, headers: event.request.headers, url: event.url },
		{ allowedHosts }
	);
	if (!verdict.ok) {
		return new Response(`Forbidden: ${verdict.reason}\n`, {
			status: verdict.status,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	const response = await resolve(event);
	// Nothing we serve is meant to be framed by, or sniffed as something else by, another site.
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('x-frame-options', 'DENY');
	applySecurityHeaders(response.headers); // Content-Security-Policy: see $lib/server/security-headers.ts
	return response;
};
