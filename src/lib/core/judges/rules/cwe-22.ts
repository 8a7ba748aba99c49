// CWE-22 path traversal: a file path built from outside input reaches a file operation
// without normalisation plus a containment check; archives extracted without checking
// member names.

import { callsTo, finding, isTainted, textOf, widestConditionRanges } from './helpers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const PY_FILE_SINKS = /^(open|send_file|remove|unlink|rmdir|rmtree|listdir|copy|copyfile|move|rename|read_text|read_bytes|write_text|write_bytes|Path|FileResponse|load|loadtxt|imread)$/;
const C_FILE_SINKS = ['fopen', 'open', 'freopen', 'creat', 'unlink', 'remove', 'rename', 'opendir', 'stat', 'lstat', 'access', 'truncate'];
const PY_SANITISERS = /secure_filename|basename|realpath|abspath|normpath|safe_join|resolve|is_relative_to|commonpath/;
const C_CHECK = /realpath|canonicalize|strstr|basename|strchr|strrchr|strpbrk/;

/** Does some condition (or a sanitiser call) guard against '..' or check containment? */
function pyGuarded(facts: Facts): boolean {
	if (facts.calls.some((c) => PY_SANITISERS.test(c.method))) return true;
	return widestConditionRanges(facts).some((r) => {
		const text = textOf(facts, r);
		return /'\.\.'|"\.\."|startswith|is_relative_to|'\/'|"\/"/.test(text);
	});
}

function pyTaintedPath(facts: Facts): RuleFinding[] {
	if (pyGuarded(facts)) return [];
	const out: RuleFinding[] = [];
	for (const call of facts.calls) {
		if (!PY_FILE_SINKS.test(call.method) || /^(send_static_file|send_from_directory)$/.test(call.method)) continue;
		if (call.method === 'load' && !/^(json|np|numpy|pickle)\b/.test(call.name)) continue;
		const path = call.args[0] ?? call.keywords.get('file') ?? call.keywords.get('path');
		if (path && isTainted(facts, path)) out.push(finding('py.cwe-22.input-path-to-file-operation', call.line, `${call.name}() opens a path built from request input without normalising and checking it`));
	}
	return out;
}

function pyArchiveSlip(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const checksMembers = widestConditionRanges(facts).some((r) => /\.\.|startswith|isabs|is_relative_to|abspath|realpath|commonpath/.test(textOf(facts, r)));
	for (const call of callsTo(facts, ['extractall', 'extract'])) {
		if (call.keywords.has('filter') && /data|tar/.test(textOf(facts, call.keywords.get('filter')!))) continue;
		if (checksMembers) continue;
		out.push(finding('py.cwe-22.archive-extracted-unchecked', call.line, `${call.name}() writes archive members wherever their names point ("../" and absolute names are not checked)`));
	}
	return out;
}

function cTaintedPath(facts: Facts): RuleFinding[] {
	const checked = facts.calls.some((c) => C_CHECK.test(c.method)) || widestConditionRanges(facts).some((r) => /"\.\."|'\.'|'\/'/.test(textOf(facts, r)));
	if (checked) return [];
	const out: RuleFinding[] = [];
	for (const call of callsTo(facts, C_FILE_SINKS)) {
		const path = call.args[0];
		if (path && isTainted(facts, path)) out.push(finding('c.cwe-22.input-path-to-file-operation', call.line, `${call.name}() opens a path built from outside input with no check for ".." or containment`));
	}
	return out;
}

export const CWE_22: CweRules = {
	cwe: 'CWE-22',
	c: [{ id: 'c.cwe-22.input-path-to-file-operation', run: cTaintedPath }],
	python: [
		{ id: 'py.cwe-22.input-path-to-file-operation', run: pyTaintedPath },
		{ id: 'py.cwe-22.archive-extracted-unchecked', run: pyArchiveSlip }
	]
};
