// C rule families for numbers read from text and secrets written to logs:
// - CWE-20: the result of atoi()/atol()/strtol()… of a non-literal stored (in a local or a field,
//   through a cast) and never compared with a range afterwards, or used straight as an index:
//   "abc", "-5" or "99999" become a port, a count or an index as they are. The fix parses with
//   strtol and tests the range (and the end pointer) before the value is stored or used.
// - CWE-200: a print or log call whose format string puts a conversion right after a word for a
//   secret ("password %s", "session token=%s"): the secret is written out. The fixed line leaves
//   it out. A bare "token" (a parser's token) counts only when the value printed there is named
//   as a secret; "pin" (a GPIO pin) is no secret.

import { calleeOf, lastSegment, type FunctionFacts } from '../dataflow.ts';
import { field, named, ofType, textOf, walk, type Syn } from '../syntax.ts';
import type { TreeFinding } from './types.ts';

const PARSE_NUMBER = /^(atoi|atol|atoll|strtol|strtoul|strtoll|strtoull|strtoimax|strtoumax|simple_strtol|simple_strtoul)$/;
const CLAMP = /^(min|max|MIN|MAX|min_t|max_t|clamp|clamp_t|umin|umax)$/;
const clean = (s: string) => s.replace(/\s+/g, '');

function bare(n: Syn | undefined): Syn | undefined {
	while (n && (n.type === 'parenthesized_expression' || n.type === 'cast_expression')) n = n.type === 'cast_expression' ? field(n, 'value') : named(n)[0];
	return n;
}

export function cUncheckedNumber(f: FunctionFacts): TreeFinding[] {
	const compares = ofType(f.node, 'binary_expression').filter((b) => /^(<|>|<=|>=|==|!=)$/.test(textOf(f.code, b.children.find((c) => !c.named) ?? b)));
	const clamps = ofType(f.node, 'call_expression').filter((c) => CLAMP.test(calleeOf(f.code, c)));
	const mentioned = (list: Syn[], name: string) => list.some((b) => walk(b).some((d) => /^(identifier|field_expression)$/.test(d.type) && clean(textOf(f.code, d)) === name));
	for (const call of ofType(f.node, 'call_expression')) {
		const callee = lastSegment(calleeOf(f.code, call));
		if (!PARSE_NUMBER.test(callee)) continue;
		const first = named(field(call, 'arguments') ?? call)[0];
		if (!first || first.type === 'string_literal' || first.type === 'number_literal') continue;
		// the value used straight as an index: table[atoi(s)]
		let up = call.parent;
		while (up && (up.type === 'parenthesized_expression' || up.type === 'cast_expression')) up = up.parent;
		if (up?.type === 'subscript_expression' && field(up, 'index') && call.start >= field(up, 'index')!.start)
			return [{ rule: 'c.input.unchecked-number', line: call.line, message: `${callee}() of text indexes ${clean(textOf(f.code, field(up, 'argument') ?? up))}[] with no range check` }];
		// stored: x = atoi(s); cfg->port = (unsigned short)atoi(s); int n = atoi(s);
		let target: string | null = null;
		if (up?.type === 'assignment_expression' && bare(field(up, 'right')) === call) {
			const left = field(up, 'left');
			if (left && /^(identifier|field_expression)$/.test(left.type)) target = clean(textOf(f.code, left));
		}
		if (up?.type === 'init_declarator' && bare(field(up, 'value')) === call) {
			const id = ofType(field(up, 'declarator') ?? up, 'identifier')[0];
			if (id) target = textOf(f.code, id);
		}
		if (!target) continue;
		if (mentioned(compares, target) || mentioned(clamps, target)) continue;
		// strtol(s, &end, 10) with end tested afterwards (*end != '\0'): the text was validated
		const endArg = bare(named(field(call, 'arguments') ?? call)[1]);
		const endName = endArg?.type === 'pointer_expression' && textOf(f.code, endArg).startsWith('&') ? clean(textOf(f.code, field(endArg, 'argument') ?? endArg)) : null;
		if (endName && ofType(f.node, 'if_statement', 'while_statement', 'conditional_expression').some((c) => c.start > call.end && walk(field(c, 'condition') ?? c).some((d) => d.type === 'identifier' && textOf(f.code, d) === endName))) continue;
		// handed to a checking call: if (!valid_port(port)) …
		if (ofType(f.node, 'call_expression').some((c) => /valid|check|verify|range|bound/i.test(calleeOf(f.code, c)) && mentioned([c], target!))) continue;
		return [{ rule: 'c.input.unchecked-number', line: call.line, message: `${target} takes ${callee}() of text with no range check: any number (or none) is stored as it is` }];
	}
	return [];
}

/** Print and log functions (tested on a plain identifier only: the \w* parts then backtrack linearly). */
const PRINTS = /^(printf|fprintf|dprintf|vprintf|vfprintf|syslog|vsyslog|printk|pr_\w+|dev_(err|warn|info|dbg|notice)|netdev_\w+|\w*log\w*|\w*_(err|error|warn|warning|info|debug|trace|notice|msg|message)|g_(message|warning|debug|info|critical|error|printerr|print)|err|errx|warn|warnx|fputs|puts)$/;
/**
 * A word for a secret, then a conversion of the same line: "password %s", "auth token: %s", "pass='%s'".
 * Between them at most 8 separators, an optional is/was/of, and 8 more: bounded runs, so a long
 * literal ("password" + 20,000 spaces) costs linear time (three adjacent unbounded \s* took minutes).
 */
const SECRET_THEN_CONVERSION = /\b(pass(?:word|wd|phrase)?|pwd|secret|(?:(?:access|auth|session|bearer|api|refresh|csrf|reset|oauth|id)[ _-]?)?token|api[ _-]?key|private[ _-]?key|credentials?)\b[\s'"\\[(<:=-]{0,8}(?:(?:is|was|of)\b[\s'"\\[(<:=-]{0,8})?%[-+ #0-9.]{0,8}l{0,2}[sdiuxXcp]/gi;
/** The name of a value that holds a secret: tok is not, session_token, pw and api_key are. */
const SECRET_VALUE = /pass|pwd|(^|_)pw($|_)|secret|token|cred|api_?key|priv_?key|private_?key/i;
/** How many conversions (%% left out) a format text has. */
const conversions = (text: string) => (text.replace(/%%/g, '').match(/%/g) ?? []).length;

export function cSecretInLog(f: FunctionFacts): TreeFinding[] {
	for (const call of ofType(f.node, 'call_expression')) {
		const callee = lastSegment(calleeOf(f.code, call));
		if (!/^\w+$/.test(callee) || !PRINTS.test(callee)) continue;
		const args = named(field(call, 'arguments') ?? call);
		const k = args.findIndex((a) => a.type === 'string_literal' || a.type === 'concatenated_string');
		if (k < 0 || k === args.length - 1) continue; // no value after the format
		const format = textOf(f.code, args[k]);
		for (const m of format.matchAll(SECRET_THEN_CONVERSION)) {
			// a bare "token": the value printed by this conversion must be named as a secret
			if (m[1].toLowerCase() === 'token') {
				const value = args[k + conversions(format.slice(0, (m.index ?? 0) + m[0].length))];
				if (!value || !SECRET_VALUE.test(clean(textOf(f.code, value)))) continue;
			}
			return [{ rule: 'c.secrets.secret-in-log', line: call.line, message: `${callee}() writes a ${m[1].toLowerCase()} out ("${m[0]}")` }];
		}
	}
	return [];
}
