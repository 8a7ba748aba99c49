import { json } from '@sveltejs/kit';
import { dataFolder, runTables } from '$lib/server/app-objects.ts';
import { answer, publicMessage } from '$lib/server/http.ts';
import { withNoLabelsTable } from '$lib/server/labels/empty-labels.ts';

/**
 * Every table: the data folder's files, then the run tables (generations, verdicts, runs) read
 * from the run logs. Each entry has name, file, rows, columns, or the error that stopped it
 * (without the server's absolute paths: an fs error names the file it could not open; a run
 * table's warnings name the log line as runs/<id>/log.jsonl:21).
 */
export async function GET() {
	return answer(async () => {
		const runs = runTables();
		const files = (await dataFolder().scan()).map((table) =>
			runs.has(table.name)
				? { ...table, rows: 0, columns: [], error: `${table.file}: the name "${table.name}" is the run table's; rename the file` }
				: table
		);
		// Before the first human label there is no labels file: the table is listed (and served) empty.
		return json([...withNoLabelsTable(files), ...(await runs.list())].map(publicTable));
	});
}

/** A table's entry with its error and warnings as publicMessage says them. */
function publicTable<T extends object>(t: T): T {
	const out = { ...t } as Record<string, unknown>;
	if (typeof out.error === 'string') out.error = publicMessage(out.error);
	if (Array.isArray(out.warnings)) out.warnings = out.warnings.map((w) => (typeof w === 'string' ? publicMessage(w) : w));
	return out as T;
}
