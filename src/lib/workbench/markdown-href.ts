// Which markdown links a notebook may carry as links (MarkdownTokens.svelte): web links
// (http/https), in-page ones (#…) and same-site paths (/x, ./x, ../x). Everything else
// (javascript:, data:, "//host", …) renders as plain text. A same-site path is refused when a
// browser could read it as another host: "/\host" and "\/host" (the URL parser takes "\" for
// "/"), "/\thost" or "/\n/host" (tabs and line breaks are dropped from URLs), and "/%5Chost"
// or "/%2F/host" (a server or a proxy may decode them into one).

/** Whether `href` may be a link's target. */
export function safeHref(href: string): boolean {
	// Controls, whitespace and backslashes anywhere: refused, never guessed at.
	if (/[\u0000-\u0020\u007f-\u009f\\]/.test(href)) return false;
	if (/^https?:\/\/[^/]/i.test(href)) return true;
	if (href.startsWith('#')) return true;
	if (/%(5c|2f)/i.test(href)) return false;
	// "/x" but not "//host"; "./x" and "../x".
	return /^(\/(?!\/)|\.\.?\/)/.test(href) || href === '/';
}
