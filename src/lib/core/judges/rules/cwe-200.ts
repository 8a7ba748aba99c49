// CWE-200 exposure of sensitive information: secrets sent back in full, exception text
// returned to the client, secrets printed or logged, login answers that tell which of
// user name or password was wrong.

import { finding, isWebCode, textOf, tokensOf } from './helpers.ts';
import type { Range } from './structure.ts';
import type { CweRules, Facts, RuleFinding, Token } from './types.ts';

const SECRET_NAME = /^(ssn|social_security(_number)?|password|passwd|pwd|secret|credit_card|card_number|cc_number|api_key|private_key|token)$/i;
const LOGGERS = /^(print|debug|info|warning|warn|error|critical|exception|log)$/;

/** The tokens of each `return` statement (Python: to the end of the logical line; C: to ';'). */
function returnRanges(facts: Facts): Range[] {
	const tokens = facts.ctx.tokens;
	const out: Range[] = [];
	for (let k = 0; k < tokens.length; k++) {
		if (tokens[k].kind !== 'ident' || tokens[k].text !== 'return') continue;
		let end = k + 1;
		while (end < tokens.length && !tokens[end].bol && tokens[end].text !== ';') end++;
		out.push({ start: k + 1, end });
	}
	return out;
}

/** Secret-named variables used whole (not sliced like `ssn[-4:]`, not hashed) in the range. */
function wholeSecretsIn(facts: Facts, range: Range): string[] {
	const tokens = facts.ctx.tokens;
	const found: string[] = [];
	for (let k = range.start; k < range.end; k++) {
		const t = tokens[k];
		if (t.kind !== 'ident' || !SECRET_NAME.test(t.text) || tokens[k - 1]?.text === '.' || tokens[k + 1]?.text === '[' || tokens[k + 1]?.text === '(' || tokens[k + 1]?.text === '=') continue;
		const inside = enclosingCall(tokens, k);
		if (inside && /hash|sha|md5|mask|len|bool|escape|check|verify|bcrypt|encrypt/i.test(inside)) continue;
		found.push(t.text);
	}
	return found;
}

function enclosingCall(tokens: Token[], index: number): string | null {
	let depth = 0;
	for (let k = index - 1; k >= 0 && !tokens[k + 1]?.bol; k--) {
		if (tokens[k].text === ')') depth++;
		else if (tokens[k].text === '(') {
			if (depth === 0) return tokens[k - 1]?.kind === 'ident' ? tokens[k - 1].text : null;
			depth--;
		}
	}
	return null;
}

function secretInResponse(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	if (!isWebCode(facts)) return out; // a return is a response only in web code
	for (const r of returnRanges(facts)) {
		const secrets = wholeSecretsIn(facts, r);
		if (secrets.length) out.push(finding('py.cwe-200.secret-in-response', facts.ctx.tokens[r.start - 1].line, `the response contains ${secrets[0]} in full`));
	}
	return out;
}

function exceptionInResponse(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	if (!isWebCode(facts)) return out;
	const tokens = facts.ctx.tokens;
	// Names bound by `except X as e`.
	const errors = new Set<string>();
	for (let k = 0; k + 1 < tokens.length; k++) {
		if (tokens[k].text !== 'except') continue;
		for (let j = k + 1; j < tokens.length && !tokens[j].bol; j++) if (tokens[j].text === 'as' && tokens[j + 1]?.kind === 'ident') errors.add(tokens[j + 1].text);
	}
	for (const r of returnRanges(facts)) {
		const used = tokensOf(facts, r).find((t) => (t.kind === 'ident' && errors.has(t.text)) || t.text === 'traceback' || t.text === 'format_exc');
		if (used) out.push(finding('py.cwe-200.exception-in-response', used.line, 'the response carries exception details'));
	}
	return out;
}

function secretLogged(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of facts.calls) {
		if (!LOGGERS.test(call.method)) continue;
		for (const arg of call.args) {
			const secrets = wholeSecretsIn(facts, arg);
			if (secrets.length) {
				out.push(finding('py.cwe-200.secret-logged', call.line, `${call.name}() writes ${secrets[0]} to a log or the console`));
				break;
			}
		}
	}
	return out;
}

/** A login that answers differently for "no such user" and "wrong password" lets anyone probe accounts. */
function accountEnumeration(facts: Facts): RuleFinding[] {
	const answers = returnRanges(facts).flatMap((r) => tokensOf(facts, r).filter((t) => t.kind === 'string').map((t) => ({ text: (t.value ?? '').toLowerCase(), line: t.line })));
	const negative = /no such|not found|not exist|doesn't exist|does not exist|unknown|invalid|incorrect|wrong|bad|not registered|no user/;
	const aboutUser = answers.find((a) => negative.test(a.text) && /user|account|email/.test(a.text) && !/password|passwd|credential|or/.test(a.text));
	const aboutPassword = answers.find((a) => negative.test(a.text) && /password|passwd/.test(a.text) && !/user(name)?\s*(or|and|\/)|credential/.test(a.text));
	if (aboutUser && aboutPassword) {
		return [finding('py.cwe-200.login-reveals-which-part-failed', aboutUser.line, 'the login answers differently for an unknown user and a wrong password')];
	}
	return [];
}

function cSecretPrinted(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of facts.calls) {
		if (!/^(printf|fprintf|puts|fputs|syslog|perror)$/.test(call.method)) continue;
		for (const arg of call.args) {
			const secrets = wholeSecretsIn(facts, arg);
			if (secrets.length) {
				out.push(finding('c.cwe-200.secret-printed', call.line, `${call.name}() prints ${secrets[0]}`));
				break;
			}
		}
	}
	return out;
}

export const CWE_200: CweRules = {
	cwe: 'CWE-200',
	c: [{ id: 'c.cwe-200.secret-printed', run: cSecretPrinted }],
	python: [
		{ id: 'py.cwe-200.secret-in-response', run: secretInResponse },
		{ id: 'py.cwe-200.exception-in-response', run: exceptionInResponse },
		{ id: 'py.cwe-200.secret-logged', run: secretLogged },
		{ id: 'py.cwe-200.login-reveals-which-part-failed', run: accountEnumeration }
	]
};
