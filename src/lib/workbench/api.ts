// The browser's calls to the workbench server. JSON in and out; errors carry the server's text.
import { errorMessage } from './tables.svelte.ts';
import { takeEarly } from './first-paint.ts';

// The store's own shapes, imported type-only (erased at build time).
import type { NotebookFile, NotebookSummary } from '../server/notebooks/index.ts';
export type { NotebookFile, NotebookSummary };

/** The file on disk is not the one this page opened; `current` is null when it was deleted. */
export class ConflictError extends Error {
	constructor(
		message: string,
		readonly current: NotebookFile | null,
		/** The file is gone because it was renamed (in another tab): its name now. */
		readonly renamedTo: string | null = null
	) {
		super(message);
	}
}

async function call<T>(method: string, url: string, body?: unknown, early?: Promise<Response>): Promise<T> {
	const response = await (early ?? fetch(url, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	}));
	if (response.status === 409) {
		const payload = await response.json();
		// 409 without `current` is a name clash on create/rename, not a stale save.
		if ('current' in payload) throw new ConflictError(payload.message, payload.current, typeof payload.renamedTo === 'string' ? payload.renamedTo : null);
		throw new Error(payload.message);
	}
	if (!response.ok) throw new Error(await errorMessage(response));
	return response.status === 204 ? (undefined as T) : response.json();
}

const path = (name: string) => `/api/notebooks/${encodeURIComponent(name)}`;

/** The notebook file app.html asked for before the app loaded, if it is this one (once). */
async function earlyNotebook(name: string): Promise<Response> {
	const early = await takeEarly('notebook')?.catch(() => undefined);
	return early?.ok && new URL(early.url).pathname === path(name) ? early : fetch(path(name));
}

export const api = {
	listNotebooks: () => call<NotebookSummary[]>('GET', '/api/notebooks'),
	readNotebook: (name: string) => call<NotebookFile>('GET', path(name), undefined, earlyNotebook(name)),
	createNotebook: (name: string, text?: string) => call<NotebookFile>('POST', '/api/notebooks', { name, text }),
	saveNotebook: (name: string, text: string, version: string) =>
		call<{ version: string }>('PUT', path(name), { text, version }),
	renameNotebook: (name: string, to: string) => call<{ name: string }>('POST', `${path(name)}/rename`, { to }),
	deleteNotebook: (name: string) => call<void>('DELETE', path(name)),
	/** The models covw.config.json lists, "endpoint/model" (none when it lists none or cannot be read). */
	configuredModels: () =>
		call<{ models: string[] }>('GET', '/api/models').then(
			(r) => r.models,
			() => [] as string[]
		)
};
