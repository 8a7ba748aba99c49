// CWE-89 SQL injection: a query string assembled from variables reaches execute().

import { callsTo, finding, isStringBuilt, textOf } from './helpers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const PY_QUERY_METHODS = ['execute', 'executemany', 'executescript', 'raw', 'query', 'read_sql', 'read_sql_query'];
const C_QUERY_FUNCTIONS = ['mysql_query', 'mysql_real_query', 'sqlite3_exec', 'sqlite3_prepare', 'sqlite3_prepare_v2', 'PQexec'];

function pyBuiltQuery(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of callsTo(facts, PY_QUERY_METHODS)) {
		const query = call.args[0];
		if (query && isStringBuilt(facts, query)) {
			out.push(finding('py.cwe-89.built-query', call.line, `${call.name}() runs a query assembled from variables (${textOf(facts, query).slice(0, 80)}); use parameters`));
		}
	}
	return out;
}

function cBuiltQuery(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of callsTo(facts, C_QUERY_FUNCTIONS)) {
		const query = call.args[1];
		const name = query && textOf(facts, query);
		if (query && name && facts.tainted.has(name)) out.push(finding('c.cwe-89.built-query', call.line, `${call.name}() runs a query that contains outside input`));
	}
	return out;
}

export const CWE_89: CweRules = {
	cwe: 'CWE-89',
	c: [{ id: 'c.cwe-89.built-query', run: cBuiltQuery }],
	python: [{ id: 'py.cwe-89.built-query', run: pyBuiltQuery }]
};
