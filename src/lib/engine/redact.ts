// Secret scrubbing for anything that leaves the engine: log rows, manifests, error messages,
// progress events. Keys are removed by value (the configured keys) and by shape (bearer tokens,
// sk-… keys an endpoint may echo back partly masked), and URLs lose user info and key-like
// query parameters.

const REDACTED = '[redacted]';

/** Shapes that look like credentials wherever they appear. */
const SECRET_SHAPES: RegExp[] = [
	/\bBearer\s+[A-Za-z0-9._~+/=\-*]+/gi,
	/\bsk-[A-Za-z0-9_\-*]{4,}/g,
	/([?&](?:api[_-]?key|key|token|access_token)=)[^&\s"']+/gi
];

export class Redactor {
	readonly #secrets: string[];

	constructor(secrets: Iterable<string | undefined | null>) {
		// Longest first, so a key that contains another key is removed whole.
		this.#secrets = [...new Set([...secrets].filter((s): s is string => !!s && s.length >= 4))].sort(
			(a, b) => b.length - a.length
		);
	}

	text(input: string): string {
		let out = input;
		for (const secret of this.#secrets) out = out.split(secret).join(REDACTED);
		for (const shape of SECRET_SHAPES) {
			out = out.replace(shape, (match, prefix?: string) =>
				typeof prefix === 'string' && match.startsWith(prefix) ? prefix + REDACTED : REDACTED
			);
		}
		return out;
	}

	/** Deep copy of a JSON-like value with every string scrubbed. */
	value<T>(input: T): T {
		if (typeof input === 'string') return this.text(input) as T;
		if (Array.isArray(input)) return input.map((v) => this.value(v)) as T;
		if (input !== null && typeof input === 'object') {
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(input)) out[k] = this.value(v);
			return out as T;
		}
		return input;
	}
}

/** A base URL safe to show: no user:password, no key-like query parameters. */
export function publicUrl(url: string): string {
	try {
		const u = new URL(url);
		u.username = '';
		u.password = '';
		for (const name of [...u.searchParams.keys()]) {
			if (/key|token|secret|pass/i.test(name)) u.searchParams.set(name, REDACTED);
		}
		return u.toString().replace(/\/$/, '');
	} catch {
		return REDACTED;
	}
}
