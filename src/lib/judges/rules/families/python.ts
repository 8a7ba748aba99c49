// Python rule families on syntax trees: injection into SQL, shells, HTML, and file paths.
// Each family decides from the SHAPE of the sink call (a string built from non-literal pieces,
// shell=True, an unescaped interpolation) and the data flow of the function (a parameter,
// request value or field reaching it, not through a sanitizer). Fix by family, not by program.

import { calleeOf, isBuiltString, lastSegment, unsanitizedNames, type FunctionFacts } from '../dataflow.ts';
import { field, named, ofType, textOf, type Syn } from '../syntax.ts';
import type { TreeFinding } from './types.ts';

const SQL_METHODS = /^(execute|executemany|executescript|exec|exec_|exec_driver_sql|raw|query|mogrify|extra|RawSQL|text|select_raw|where_raw|fetch|fetchrow|fetchval|run_sql|sql)$/;
const SHELL_CALLS = /^(os\.system|os\.popen|os\.popen[234]|commands\.getoutput|commands\.getstatusoutput|subprocess\.getoutput|subprocess\.getstatusoutput|popen2\.\w+|pty\.spawn)$/;
const SUBPROCESS = /^(subprocess\.)?(call|check_call|check_output|run|Popen)$/;
const WRAPPER = /(^|_)(run|exec|execute|sh|shell|ssh|cmd|command|spawn|system)(_|$)/i;
const HTML_WRAPPERS = /^(Markup|mark_safe|SafeString|SafeText|format_html_join|HTMLString|literal)$/;
const RESPONSE = /^(HttpResponse|make_response|Response|render_template_string|write|send|finish)$/;
const ESCAPES = /\b(escape|html\.escape|cgi\.escape|bleach\.clean|conditional_escape|quoteattr|xmlescape|sanitize\w*|urlencode|quote|strip_tags|format_html)\(/;
const FILE_SINKS = /^(open|io\.open|codecs\.open|os\.open|os\.remove|os\.unlink|os\.rmdir|os\.makedirs|os\.mkdir|os\.rename|os\.listdir|os\.scandir|os\.walk|shutil\.\w+|send_file|send_from_directory|FileResponse|static_file|Path|tarfile\.open|zipfile\.ZipFile|extractall|extract|os\.chmod|os\.symlink|unlink|rmtree|copyfile|move|read_text|write_text|read_bytes|write_bytes|open_file|file_get_contents|load|save)$/;
const PATH_GUARDS = /\b(realpath|abspath|normpath|commonpath|commonprefix|secure_filename|basename|safe_join|is_safe_path|relpath|resolve|is_relative_to|samefile)\b|['"]\.\.['"]|startswith\(|valid\w*\(|sanitiz\w*\(|check\w*path\w*\(/i;

/** Code that serves web requests: a request object read, a route, a handler's `request` parameter, a file sent back. */
const WEB_HANDLER = /\brequest\.\w|@\s*[\w.]+\.(route|get|post|put|delete|patch)\b|\bdef\s+\w+\s*\(\s*(self\s*,\s*)?(request|req)\b|\b(send_file|send_from_directory|FileResponse|static_file|HttpResponse|make_response)\b/;
let lastSource: { code: string; web: boolean } | null = null;
/** WEB_HANDLER on the whole program, once per program (the families run per function: testing the text each time is quadratic in a big file). */
function isWebSource(code: string): boolean {
	if (lastSource?.code !== code) lastSource = { code, web: WEB_HANDLER.test(code) };
	return lastSource.web;
}
/** Calls that ask about a path and open nothing. */
const PATH_QUERIES = /^(os\.path\.)?(isfile|isdir|exists|lexists|islink|ismount|isabs|getsize|getmtime|getatime|getctime)$/;

function reaches(f: FunctionFacts, e: Syn | undefined): boolean {
	if (!e) return false;
	for (const n of unsanitizedNames(f.code, e, 'python')) if (f.tainted.has(n) || f.built.has(n)) return true;
	return /\b(request|req)\.\w+/.test(textOf(f.code, e));
}

/** Outside data (parameters, request values) among the pieces of e, following names one assignment back. */
function taintedPieces(f: FunctionFacts, e: Syn, depth = 0): boolean {
	for (const n of unsanitizedNames(f.code, e, 'python')) {
		if (f.tainted.has(n) && !f.built.has(n)) return true;
		if (f.built.has(n) && depth < 3)
			for (const a of ofType(f.node, 'assignment', 'augmented_assignment')) {
				const left = field(a, 'left');
				const right = field(a, 'right');
				if (left && right && textOf(f.code, left) === n && taintedPieces(f, right, depth + 1)) return true;
			}
	}
	return /\b(request|req)\.\w+/.test(textOf(f.code, e));
}

function args(code: string, call: Syn): { positional: Syn[]; keywords: Map<string, Syn> } {
	const list = field(call, 'arguments');
	const positional: Syn[] = [];
	const keywords = new Map<string, Syn>();
	for (const a of list ? named(list) : []) {
		if (a.type === 'keyword_argument') {
			const k = field(a, 'name');
			const v = field(a, 'value');
			if (k && v) keywords.set(textOf(code, k), v);
		} else if (a.type !== 'comment') positional.push(a);
	}
	return { positional, keywords };
}

export function pySql(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	for (const call of ofType(f.node, 'call')) {
		const callee = calleeOf(f.code, call);
		if (!SQL_METHODS.test(lastSegment(callee))) continue;
		const { positional, keywords } = args(f.code, call);
		const query = positional[0];
		if (!query || !isBuiltString(f.code, query, f.built)) continue;
		// With values bound as parameters, only outside data spliced into the text counts
		// (a table name from configuration is not); without, any spliced value does.
		const bound = positional.length > 1 || keywords.size > 0;
		if (bound ? !taintedPieces(f, query) : !reaches(f, query) && query.type !== 'identifier') continue;
		out.push({ rule: 'py.sql.built-query', line: call.line, message: `${callee}() runs a query built from values by string formatting, not bound as parameters` });
	}
	return out;
}

/** A string command: a literal, a built string, or a name only ever assigned strings. */
function isStringCommand(f: FunctionFacts, e: Syn, strings: Set<string>): boolean {
	if (e.type === 'string' || e.type === 'concatenated_string' || isBuiltString(f.code, e, f.built)) return true;
	if (e.type === 'parenthesized_expression') return named(e).some((x) => isStringCommand(f, x, strings));
	return e.type === 'identifier' && strings.has(textOf(f.code, e));
}

const SQL_TEXT = /\b(select\b[\s\S]*\bfrom|insert\s+into|update\b[\s\S]*\bset|delete\s+from|replace\s+into|\bwhere\b[\s\S]*=)/i;
const NOT_A_SINK = /^(print|debug|info|warning|warn|error|exception|critical|log|format|join|append|extend|len|str|repr|_|gettext|ugettext|assertEqual|assertIn)$/;

/**
 * SQL text assembled by formatting (%, format, f-string, +) and handed to any call: the
 * family does not depend on the name of the project's query helper. With values bound as
 * parameters too, only outside data spliced into the text counts.
 */
export function pySqlText(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	const sqlNames = new Map<string, Syn>();
	for (const a of ofType(f.node, 'assignment')) {
		const left = field(a, 'left');
		const right = field(a, 'right');
		if (left?.type === 'identifier' && right && SQL_TEXT.test(textOf(f.code, right))) sqlNames.set(textOf(f.code, left), right);
	}
	const built = (e: Syn): boolean => {
		if (isBuiltString(f.code, e, f.built)) return SQL_TEXT.test(textOf(f.code, e)) || [...unsanitizedNames(f.code, e, 'python')].some((n) => sqlNames.has(n) && isBuiltString(f.code, sqlNames.get(n)!, f.built));
		if (e.type === 'binary_operator') {
			const [l] = named(e);
			return !!l && l.type === 'identifier' && sqlNames.has(textOf(f.code, l)) && textOf(f.code, e).includes('%');
		}
		return false;
	};
	const seen = new Set<number>();
	for (const call of ofType(f.node, 'call')) {
		const callee = lastSegment(calleeOf(f.code, call));
		if (NOT_A_SINK.test(callee) || SQL_METHODS.test(callee)) continue; // the latter: pySql's
		const { positional, keywords } = args(f.code, call);
		for (const a of positional) {
			const direct = built(a);
			const viaName = a.type === 'identifier' && sqlNames.has(textOf(f.code, a)) && built(sqlNames.get(textOf(f.code, a))!);
			if (!direct && !viaName) continue;
			const bound = positional.length > 1 || keywords.size > 0;
			const piece = direct ? a : sqlNames.get(textOf(f.code, a))!;
			if (bound && !taintedPieces(f, piece)) continue;
			if (!bound && !reaches(f, piece) && !taintedPieces(f, piece)) continue;
			if (seen.has(call.line)) continue;
			seen.add(call.line);
			out.push({ rule: 'py.sql.formatted-text', line: call.line, message: `${calleeOf(f.code, call)}() gets SQL text assembled from values by string formatting` });
		}
	}
	return out;
}

export function pyShell(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	const strings = new Set<string>();
	const notStrings = new Set<string>();
	for (const a of ofType(f.node, 'assignment')) {
		const left = field(a, 'left');
		const right = field(a, 'right');
		if (!left || left.type !== 'identifier' || !right) continue;
		const name = textOf(f.code, left);
		if (right.type === 'string' || right.type === 'concatenated_string' || isBuiltString(f.code, right, f.built) || (right.type === 'parenthesized_expression' && named(right).every((x) => x.type === 'string' || x.type === 'concatenated_string' || isBuiltString(f.code, x, f.built)))) strings.add(name);
		else notStrings.add(name);
	}
	for (const n of notStrings) strings.delete(n);
	for (const call of ofType(f.node, 'call')) {
		const callee = calleeOf(f.code, call);
		const { positional, keywords } = args(f.code, call);
		const first = positional[0];
		if (!first) continue;
		const shellTrue = keywords.get('shell') && textOf(f.code, keywords.get('shell')!) !== 'False';
		const stringCommand = first.type !== 'list' && first.type !== 'tuple' && (isBuiltString(f.code, first, f.built) || reaches(f, first));
		if (SHELL_CALLS.test(callee) && stringCommand) out.push({ rule: 'py.shell.command-string', line: call.line, message: `${callee}() runs a shell command built from values` });
		else if (SUBPROCESS.test(callee) && shellTrue && stringCommand) out.push({ rule: 'py.shell.shell-true', line: call.line, message: `${callee}(shell=True) with a command built from values` });
		else if (!SUBPROCESS.test(callee) && WRAPPER.test(lastSegment(callee)) && !SQL_METHODS.test(lastSegment(callee)) && isBuiltString(f.code, first, f.built) && reaches(f, first))
			out.push({ rule: 'py.shell.wrapper-string', line: call.line, message: `${callee}() (a command runner) gets a command string built from values` });
		else if (SUBPROCESS.test(callee) && !keywords.has('shell') && isBuiltString(f.code, first, f.built) && reaches(f, first))
			out.push({ rule: 'py.shell.formatted-command', line: call.line, message: `${callee}() gets one command string formatted from values instead of an argument list` });
		else if (/(^|_)ssh(_|$)|^_?run_ssh$|^ssh_execute$|^_?execute_command$|^_?run_command$|^_?cli_run$/i.test(lastSegment(callee)) && isStringCommand(f, first, strings) && !(first.type === 'string' && !/\s/.test(textOf(f.code, first)))) // one literal word ('sdist') is a name, not a command line
			out.push({ rule: 'py.shell.remote-command-string', line: call.line, message: `${callee}() sends one command string to a remote shell instead of an argument list` });
	}
	out.push(...pyCommandText(f, strings));
	return out;
}

/** A literal that reads like a command line: a lower-case program word, a space, then more (often a placeholder). */
const COMMAND_TEXT = /^[rbuf]*['"]{1,3}[a-z][\w.-]*(:\S*)? +[^'"]*(%[sd]|\{\w*\})/;
const NOT_A_COMMAND_SINK = /^(print|debug|info|warning|warn|error|exception|critical|log|format|join|append|extend|len|str|repr|_|gettext|ugettext|ngettext|assert\w*|\w*Error|\w*Exception|write|startswith|endswith|split|replace|strip|match|search|compile|sub|findall|get|set|add|update|echo|secho|notify|send|reply|emit|sleep|fail|skip)$/;

/**
 * A command line formatted from values and handed to a command runner of the project (an
 * adb/ssh/cli helper, a salt `cmd.run`, a device object's method): the fixed form passes an
 * argument list. The text must look like a command (program word, space, placeholder); the
 * callee must not be a logger, a message or a string method.
 */
function pyCommandText(f: FunctionFacts, strings: Set<string>): TreeFinding[] {
	const out: TreeFinding[] = [];
	const commandNames = new Map<string, Syn>();
	for (const a of ofType(f.node, 'assignment')) {
		const left = field(a, 'left');
		const right = field(a, 'right');
		if (left?.type === 'identifier' && right && isBuiltString(f.code, right, f.built) && COMMAND_TEXT.test(textOf(f.code, right))) commandNames.set(textOf(f.code, left), right);
	}
	for (const call of ofType(f.node, 'call')) {
		const callee = calleeOf(f.code, call);
		const last = lastSegment(callee);
		if (NOT_A_COMMAND_SINK.test(last) || /log|write|print|msg|message|text|label|title|html|render|warn|error/i.test(last) || SHELL_CALLS.test(callee) || SUBPROCESS.test(callee) || SQL_METHODS.test(last)) continue;
		if (call.parent?.type === 'argument_list' && NOT_A_COMMAND_SINK.test(lastSegment(calleeOf(f.code, call.parent.parent!)))) continue;
		const first = args(f.code, call).positional[0];
		if (!first) continue;
		const direct = isBuiltString(f.code, first, f.built) && COMMAND_TEXT.test(textOf(f.code, first));
		const viaName = first.type === 'identifier' && commandNames.has(textOf(f.code, first)) && strings.has(textOf(f.code, first));
		if (!direct && !viaName) continue;
		out.push({ rule: 'py.shell.formatted-command-line', line: call.line, message: `${callee}() gets a command line formatted from values instead of an argument list` });
		if (out.length >= 2) break;
	}
	return out;
}

export function pyXss(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	// a tag (<b>, </td>, <a href=…>) or an entity, not a shell redirection (</dev/null) or a comparison
	const htmlish = (e: Syn) => /<\/?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?\/?>|&lt;|<(html|body|div|span|p|a|b|i|td|tr|li|ul|h\d|script|img|form|input|table|br)\b/i.test(textOf(f.code, e));
	for (const call of ofType(f.node, 'call')) {
		const callee = lastSegment(calleeOf(f.code, call));
		const first = args(f.code, call).positional[0];
		if (!first) continue;
		const text = textOf(f.code, first);
		if (HTML_WRAPPERS.test(callee) && (isBuiltString(f.code, first, f.built) || reaches(f, first)) && !ESCAPES.test(text))
			out.push({ rule: 'py.xss.marked-safe', line: call.line, message: `${callee}() marks text built from values as safe HTML` });
		else if (RESPONSE.test(callee) && (!/^(write|send|finish)$/.test(callee) || isWebSource(f.code)) && isBuiltString(f.code, first, f.built) && (htmlish(first) || first.type === 'identifier') && reaches(f, first) && !ESCAPES.test(text))
			out.push({ rule: 'py.xss.response-unescaped', line: call.line, message: `${callee}() writes HTML built from values without escaping` });
	}
	for (const call of ofType(f.node, 'call')) {
		const callee = lastSegment(calleeOf(f.code, call));
		if ((callee === 'Environment' || callee === 'Template') && !/autoescape\s*=\s*True|select_autoescape|["']autoescape["']\s*:\s*True/.test(textOf(f.code, f.node)))
			out.push({ rule: 'py.xss.template-no-autoescape', line: call.line, message: `${callee}() renders templates without autoescape` });
		if (/^(write|send)$/.test(callee) && /response\.|wfile\.|\bresp\./i.test(calleeOf(f.code, call))) {
			const first = args(f.code, call).positional[0];
			if (first && first.type !== 'string' && !ESCAPES.test(textOf(f.code, first)) && [...unsanitizedNames(f.code, first, 'python')].some((n) => !f.sanitized.has(n)))
				out.push({ rule: 'py.xss.response-write', line: call.line, message: `${calleeOf(f.code, call)}() writes a value into the page without escaping` });
		}
	}
	for (const s of [...ofType(f.node, 'binary_operator'), ...ofType(f.node, 'string'), ...ofType(f.node, 'call')]) {
		if (!isBuiltString(f.code, s, new Set()) || !htmlish(s) || ESCAPES.test(textOf(f.code, s))) continue;
		if (s.parent && (s.parent.type === 'binary_operator' || s.parent.type === 'argument_list' && /\.format$/.test(calleeOf(f.code, s.parent.parent!)))) continue;
		if (!reaches(f, s)) continue;
		out.push({ rule: 'py.xss.html-built', line: s.line, message: 'HTML built from values without escaping' });
	}
	out.push(...pyXssFamilies(f));
	return out.slice(0, 3);
}

const REQUEST_VALUE = /\b(request|req|self\.request)\.(GET|POST|args|form|values|json|data|cookies|headers|params|query_params|REQUEST|get|get_argument|get_query_argument|get_body_argument)\b|\bform_dict\.\w+/;
const ESCAPE_CALL = /^(escape|html\.escape|cgi\.escape|markupsafe\.escape|conditional_escape|escape_html|bleach\.clean|clean|sanitize\w*|strip_tags|antixss|xssescape|quoteattr|urlquote|quote|int|float|bool|json\.dumps)$/;
const ESCAPE_NAME = /escape|sanitiz|bleach|clean|antixss|strip_tags|quote/i;

/** True when e sits inside a call that escapes / cleans its argument. */
function insideEscape(f: FunctionFacts, e: Syn): boolean {
	for (let p = e.parent; p && p !== f.node; p = p.parent) if (p.type === 'call' && (ESCAPE_CALL.test(calleeOf(f.code, p)) || ESCAPE_NAME.test(lastSegment(calleeOf(f.code, p))))) return true;
	return false;
}

/**
 * Three XSS families seen in web code: a request value kept without escaping (never escaped
 * later in the function either), json.dumps() put into a template context without an HTML-safe
 * encoder, and markdown rendered to HTML with no sanitizer.
 */
function pyXssFamilies(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	const escapedNames = new Set<string>();
	for (const call of ofType(f.node, 'call')) {
		const c = calleeOf(f.code, call);
		if (!(ESCAPE_CALL.test(c) || ESCAPE_NAME.test(lastSegment(c)) || /^(render_template|render|TemplateResponse|render_to_response)$/.test(lastSegment(c)))) continue;
		const list = field(call, 'arguments');
		for (const a of list ? named(list) : []) for (const n of unsanitizedNames(f.code, a, 'python')) escapedNames.add(n);
	}
	for (const a of ofType(f.node, 'assignment')) {
		const left = field(a, 'left');
		const right = field(a, 'right');
		if (!left || !right || !REQUEST_VALUE.test(textOf(f.code, right))) continue;
		// the value itself, not a call that receives it (a form class, a database lookup)
		const direct = (e: Syn): boolean =>
			e.type === 'subscript' || e.type === 'attribute' ? REQUEST_VALUE.test(textOf(f.code, e)) : e.type === 'call' ? /^(request|req|self\.request)\.(\w+\.)?get$|^(request|req|self\.request)\.get_\w*argument$/.test(calleeOf(f.code, e)) || (/^(str|unicode|\w+\.strip)$/.test(calleeOf(f.code, e)) && named(field(e, 'arguments') ?? e).some(direct)) : e.type === 'boolean_operator' ? named(e).some(direct) : false;
		if (!direct(right)) continue;
		if (/^(int|float|bool|len)\(|\.(isdigit|lower\(\)\s*==)/.test(textOf(f.code, right)) || ESCAPE_NAME.test(textOf(f.code, right))) continue;
		const name = textOf(f.code, left);
		if (escapedNames.has(name) || /^_$|^(page|limit|offset|pk|count|n)$|(^|_)id$|url|redirect|^next$|pass|^pw|token|csrf|secret|key$/i.test(name)) continue;
		out.push({ rule: 'py.xss.request-unescaped', line: a.line, message: `${name} takes a request value that is never escaped before use` });
		break;
	}
	const renders = f.callees.some((c) => /(^|\.)(render|render_to_response|render_template|TemplateResponse)$/.test(c));
	for (const call of ofType(f.node, 'call')) {
		const c = calleeOf(f.code, call);
		const dumped = named(field(call, 'arguments') ?? call)[0];
		const plainValue = !dumped || ['comparison_operator', 'boolean_operator', 'not_operator', 'integer', 'true', 'false', 'none'].includes(dumped.type);
		if (renders && /^(json\.dumps|simplejson\.dumps)$/.test(c) && call.parent?.type === 'pair' && !plainValue && !/\bcls\s*=/.test(textOf(f.code, call)))
			out.push({ rule: 'py.xss.json-in-template', line: call.line, message: `${c}() output goes into a template context without an HTML-safe encoder` });
		const source = named(field(call, 'arguments') ?? call)[0];
		if ((/^(markdown|markdown\.markdown|markdown2\.markdown|mistune\.markdown|commonmark)$/.test(c) || /^\w*_markdown$|^markdown_to_html$/.test(lastSegment(c))) && !insideEscape(f, call) && !(source?.type === 'call' && ESCAPE_NAME.test(lastSegment(calleeOf(f.code, source)))) && !(source && [...unsanitizedNames(f.code, source, 'python')].some((n) => escapedNames.has(n) || f.sanitized.has(n))) && !/bleach|sanitiz|safe_mode|escape\s*=\s*True/i.test(textOf(f.code, f.node)))
			out.push({ rule: 'py.xss.markdown-unsanitized', line: call.line, message: `${c}() renders HTML from text with no sanitizer` });
	}
	return out;
}

/** Path pieces: os.path.join(...), or text with a '/' glued to a non-literal ('a/' + b, f'{a}/{b}', '%s/%s' % ...). */
function pathExpressions(f: FunctionFacts): Syn[] {
	const out: Syn[] = [];
	for (const call of ofType(f.node, 'call')) if (/(^|\.)path\.join$|^join$|^safe_join$|^Path$/.test(calleeOf(f.code, call)) && /path\.join|^Path$/.test(calleeOf(f.code, call))) out.push(call);
	for (const e of [...ofType(f.node, 'binary_operator'), ...ofType(f.node, 'string')]) {
		if (e.parent && e.parent.type === 'binary_operator') continue;
		if (isBuiltString(f.code, e, new Set()) && /['"][^'"]*\/[^'"]*['"]|\/\{/.test(textOf(f.code, e))) out.push(e);
	}
	return out;
}

export function pyPath(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	if (PATH_GUARDS.test(textOf(f.code, f.node).replace(/\bvalid\w*\(|\bsanitiz\w*\(|\bcheck\w*path\w*\(/gi, ''))) return out;
	// validation calls on a value: validate_name(x), is_safe(x), check_filename(x) clean x
	const validated = new Set<string>();
	for (const call of ofType(f.node, 'call')) {
		if (!/valid|sanitiz|check|safe|clean|secure|allowed/i.test(lastSegment(calleeOf(f.code, call)))) continue;
		const list = field(call, 'arguments');
		for (const a of list ? named(list) : []) for (const n of unsanitizedNames(f.code, a, 'python')) validated.add(n), validated.add(textOf(f.code, a));
	}
	const risky = (e: Syn) => [...unsanitizedNames(f.code, e, 'python')].some((n) => (f.tainted.has(n) || f.built.has(n)) && !validated.has(n)) && !validated.has(textOf(f.code, e));
	const pathVars = new Set<string>();
	for (const e of pathExpressions(f)) {
		if (!risky(e)) continue;
		const use = e.parent?.type === 'argument_list' ? e.parent.parent : undefined;
		if (use && use.type === 'call') {
			out.push({ rule: 'py.path.joined-unchecked', line: e.line, message: `${calleeOf(f.code, use)}() gets a path joined from outside data with no realpath/prefix check or validation` });
			continue;
		}
		const assign = e.parent?.type === 'assignment' ? field(e.parent, 'left') : undefined;
		if (assign && assign.type === 'identifier') pathVars.add(textOf(f.code, assign));
	}
	// library code: a path that IS the caller's argument (open(filename)) is the caller's choice;
	// in code that serves web requests a parameter is the client's
	const web = isWebSource(f.code);
	for (const call of ofType(f.node, 'call')) {
		const callee = calleeOf(f.code, call);
		const first = args(f.code, call).positional[0] ?? (lastSegment(callee) !== callee ? field(field(call, 'function')!, 'object') : undefined);
		if (!first || first.type === 'string' && !isBuiltString(f.code, first, f.built)) continue;
		if (PATH_QUERIES.test(callee)) continue; // asks about a path, opens nothing
		const viaPathVar = first.type === 'identifier' && pathVars.has(textOf(f.code, first));
		// a method of the object itself (self.open(host, port)) is not the file API
		const fileSink = FILE_SINKS.test(callee) || (FILE_SINKS.test(lastSegment(callee)) && !/^(self|cls|super\(\))\./.test(callee));
		const bareParameter = first.type === 'identifier' && f.params.includes(textOf(f.code, first)) && !web;
		if (!viaPathVar && !(fileSink && risky(first) && !bareParameter)) continue;
		out.push({ rule: 'py.path.unchecked', line: call.line, message: `${callee}() opens a path built from outside data with no realpath/prefix check or filename cleaning` });
	}
	return out;
}
