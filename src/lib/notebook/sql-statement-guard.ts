// Statements a sql cell can never run, named in the user's terms. A sql cell is one query that
// becomes a view (`CREATE OR REPLACE VIEW "<id>" AS <statement>`), so DuckDB answers COPY, ATTACH,
// SET… with `Parser Error: syntax error at or near "COPY"` — which reads like a typo. This guard
// says what is refused and why before the engine sees the statement. It adds no permission: every
// statement it names would fail anyway (as the wrapper, and under the engine's lockdown in
// sql-lockdown.ts, which stays the real barrier); anything it does not name goes to DuckDB as before.
import { tokenizeSql } from './sql-tokens.ts';

const FILES = 'notebooks cannot write or attach files';
const SETTINGS = "notebooks cannot change the database's settings";
const WRITES = 'a sql cell is one query, which becomes a view; notebooks do not create or change tables';

/** First keyword → why a notebook refuses it. */
const REFUSED = new Map<string, string>(Object.entries({
	COPY: FILES,
	ATTACH: FILES,
	DETACH: FILES,
	EXPORT: FILES,
	IMPORT: FILES,
	INSTALL: 'notebooks cannot install or load extensions',
	LOAD: 'notebooks cannot install or load extensions',
	FORCE: 'notebooks cannot install or load extensions',
	SET: SETTINGS,
	RESET: SETTINGS,
	PRAGMA: SETTINGS,
	CHECKPOINT: FILES,
	VACUUM: FILES,
	USE: 'a notebook reads the one database the workbench gives it',
	CREATE: WRITES,
	INSERT: WRITES,
	UPDATE: WRITES,
	DELETE: WRITES,
	DROP: WRITES,
	ALTER: WRITES,
	TRUNCATE: WRITES,
	BEGIN: WRITES,
	COMMIT: WRITES,
	ROLLBACK: WRITES,
	CALL: 'a sql cell is one query, which becomes a view: CALL is not a query'
}));

/** Why this statement can never run in a notebook, or null when it is left to DuckDB. */
export function refusedStatement(statement: string): string | null {
	const first = tokenizeSql(statement).find((t) => t.type !== 'space' && t.type !== 'comment');
	if (!first || first.type !== 'ident') return null;
	const keyword = first.text.toUpperCase();
	const why = REFUSED.get(keyword);
	return why ? `${keyword} is not allowed in a notebook (${why})` : null;
}
