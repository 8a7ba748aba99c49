import { json } from '@sveltejs/kit';
import { BODY_LIMITS, BadRequest, answer, readBody } from '$lib/server/http.ts';
import { importUpload, parseFormat, parseTask } from '$lib/server/imports/upload-import.ts';
import { dataDir, runsDir } from '$lib/node/paths.ts';

/**
 * Import a file made elsewhere, as `covw import` does: the request body is the file; the query
 * says what it is — `kind=runs` (default; `format=auto|coveval-released|promptfoo|inspect|plain`,
 * `task=` the released results' folder, `judge_name=` for promptfoo) or `kind=labelled` with
 * `set=<name>` — and `file=` its name. 201 when something was written, 200 when the file was
 * imported before; the records that did not come in are listed either way.
 */
export async function POST({ request, url }) {
	return answer(async () => {
		const q = url.searchParams;
		const kind = q.get('kind') || 'runs';
		if (kind !== 'runs' && kind !== 'labelled') throw new BadRequest(`kind must be runs or labelled, got ${JSON.stringify(kind.slice(0, 40))}`);
		const fileName = q.get('file');
		if (!fileName) throw new BadRequest('the file name is missing (query parameter "file")');
		const format = parseFormat(q.get('format'));
		const task = parseTask(q.get('task'));
		const bytes = await readBody(request, BODY_LIMITS.imports, 'import file');
		const out = await importUpload(
			{ dataDir: dataDir(), runsDir: runsDir() },
			{ kind, fileName, bytes, format, task, judgeName: q.get('judge_name') || undefined, setName: q.get('set') ?? undefined }
		);
		const wrote = out.kind === 'labelled' ? out.written : out.runs.some((r) => r.written > 0);
		return json(out, { status: wrote ? 201 : 200 });
	});
}
