// CWE-79 cross-site scripting: outside input written into HTML without escaping.

import { callsTo, finding, isStringBuilt, isWebCode, textOf } from './helpers.ts';
import type { Range } from './structure.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const ESCAPING = /escape|encode|sanitize|sanitise|quote|bleach|clean|markupsafe/i;
const C_WRITERS = ['sprintf', 'snprintf', 'strcat', 'strncat', 'strcpy', 'strncpy', 'fprintf', 'printf', 'fputs', 'puts', 'fwrite', 'write', 'memcpy'];
/** Writers whose first argument is the destination buffer, not content. */
const C_DESTINATION_FIRST = new Set(['sprintf', 'snprintf', 'strcat', 'strncat', 'strcpy', 'strncpy', 'fprintf', 'memcpy']);

/** Does the range use an input name outside any escaping call? */
function rawInputIn(facts: Facts, range: Range, names: Set<string>): string | null {
	const { tokens } = facts.ctx;
	for (let k = range.start; k < range.end; k++) {
		const tok = tokens[k];
		if (tok.kind === 'ident' && tokens[k + 1]?.text === '(' && ESCAPING.test(tok.text)) {
			k = facts.ctx.match[k + 1] > k ? facts.ctx.match[k + 1] : k; // skip the escaped argument
			continue;
		}
		if (tok.kind === 'ident' && names.has(tok.text) && tokens[k - 1]?.text !== '.') return tok.text;
		if (facts.ctx.language === 'python' && tok.text === 'request' && tokens[k + 1]?.text === '.') return 'request';
	}
	return null;
}

function cUnescapedOutput(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const inputs = new Set([...facts.inputs].filter((n) => n !== 'argv'));
	for (const call of callsTo(facts, C_WRITERS)) {
		const content = C_DESTINATION_FIRST.has(call.method) ? call.args.slice(1) : call.method === 'fputs' || call.method === 'fwrite' ? call.args.slice(0, 1) : call.args;
		for (const arg of content) {
			const name = rawInputIn(facts, arg, inputs);
			if (name) {
				out.push(finding('c.cwe-79.unescaped-input-in-page', call.line, `${call.name}() puts input "${name}" into the page without escaping`));
				break;
			}
		}
	}
	return out;
}

function pyJinjaAutoescapeOff(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of callsTo(facts, ['Environment', 'Template'])) {
		const autoescape = call.keywords.get('autoescape');
		const value = autoescape ? textOf(facts, autoescape) : '';
		if (!autoescape || /^(False|None|0)$/.test(value)) {
			out.push(finding('py.cwe-79.jinja-autoescape-off', call.line, `jinja2 ${call.method}() without autoescape renders input unescaped`));
		}
	}
	return out;
}

function pyReflectedInput(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const { tokens } = facts.ctx;
	const check = (range: Range, line: number, where: string) => {
		if (!isStringBuilt(facts, range) && !(range.end - range.start === 1 && facts.tainted.has(tokens[range.start].text))) return;
		const name = rawInputIn(facts, range, facts.tainted);
		if (name) out.push(finding('py.cwe-79.reflected-input', line, `${where} echoes input "${name}" into the response without escaping`));
	};
	// a returned value is the page only in code that serves web requests (helpers.ts isWebCode)
	for (let k = 0; isWebCode(facts) && k < tokens.length; k++) {
		if (tokens[k].text !== 'return' || tokens[k].kind !== 'ident') continue;
		let end = k + 1;
		while (end < tokens.length && !tokens[end].bol) end++;
		if (tokens[k + 1]?.kind === 'ident' && /^(render_template|redirect|jsonify|url_for)$/.test(tokens[k + 1].text)) continue;
		check({ start: k + 1, end }, tokens[k].line, 'the returned page');
	}
	for (const call of callsTo(facts, ['make_response', 'Response', 'HttpResponse', 'render_template_string'])) {
		if (call.args[0]) check(call.args[0], call.line, `${call.name}()`);
	}
	return out;
}

export const CWE_79: CweRules = {
	cwe: 'CWE-79',
	c: [{ id: 'c.cwe-79.unescaped-input-in-page', run: cUnescapedOutput }],
	python: [
		{ id: 'py.cwe-79.jinja-autoescape-off', run: pyJinjaAutoescapeOff },
		{ id: 'py.cwe-79.reflected-input', run: pyReflectedInput }
	]
};
