// Python rule families for credentials, authentication, uploads and numbers from input, in
// library code and in Django views (the token rules of core/judges/rules handle the Flask shapes
// the Pearce programs use; these add the shapes they miss):
// - CWE-522: a password (a parameter or request value named so, or a value derived from it)
//   fed to a fast digest (md5, sha1, sha2), or stored as given (an INSERT/UPDATE, an ORM
//   create/constructor keyword, a password attribute), with no slow KDF taking it; a digest whose
//   only use is a constant-time comparison (hmac.compare_digest) verifies, it does not store;
// - CWE-306: a Django view (first parameter `request`) that changes a model (a call on
//   Model.objects or on a record from it / get_object_or_404, or a save()/delete()) with no login
//   decorator and no test of request.user;
// - CWE-434: a Django upload (request.FILES) written to disk or storage with no check of its
//   name's extension or its content type;
// - CWE-20: int()/float() of a request value or input() used with no range comparison.
// Each looks for the shape the FIX adds (a KDF, a decorator, a type check, a comparison).

import { calleeOf, lastSegment, type FunctionFacts } from '../dataflow.ts';
import { field, named, ofType, textOf, walk, type Syn } from '../syntax.ts';
import { tick } from '../../../core/judges/rules/deadline.ts';
import type { TreeFinding } from './types.ts';

const PASSWORD_NAME = /(^|_)(pass|passwd|password|passphrase|pwd|pw)(_|$|\d)/i;
const NOT_PLAIN = /hash|digest|salt|crypt|enc|kdf|derived|check|verify|confirm/i;
const FAST_DIGEST = /(^|\.)(md5|sha1|sha224|sha256|sha384|sha512|sha3_224|sha3_256|sha3_384|sha3_512|blake2b|blake2s|new)$/;
// `.hash` / `.encrypt` on a hasher object (argon2's PasswordHasher().hash, passlib's sha256_crypt.hash);
// the builtin hash() and a bare encrypt() are no KDF
const SLOW_KDF = /(^|\.)(pbkdf2_hmac|pbkdf2|scrypt|hashpw|gensalt|argon2\w*|hash_password|generate_password_hash|make_password|set_password|using|PasswordHasher|derive)$|\.(hash|encrypt)$/;
/** A call that makes a fast digest object or value: hashlib.sha256(…), md5(…), SHA256.new(…). */
const isDigestCall = (callee: string) => FAST_DIGEST.test(callee) && /hashlib|md5|sha|Crypto|Hash/.test(callee);
/** Callees whose keyword password= stores a record: ORM create calls and model constructors (a capitalised callee that is no connection or client). */
const ORM_CREATE = /^(create|update_or_create|get_or_create)$/;
const NOT_A_RECORD = /connect|client|session|smtp|ftp|ssh|imap|pop3|ldap|transport|auth|login|credential|request|config|setting|engine|pool|hasher|cipher|fernet/i;

const ids = (code: string, e: Syn) => walk(e).filter((d) => d.type === 'identifier').map((d) => textOf(code, d));

/** Names holding a password in plain text: parameters and assignments named so (from request data or another password), and what is derived from them without a hash. */
function plainPasswords(f: FunctionFacts): Set<string> {
	const out = new Set(f.params.filter((p) => PASSWORD_NAME.test(p) && !NOT_PLAIN.test(p)));
	const assigns = ofType(f.node, 'assignment');
	for (const a of assigns) {
		const left = field(a, 'left');
		const right = field(a, 'right');
		if (left?.type !== 'identifier' || !right) continue;
		const name = textOf(f.code, left);
		const text = textOf(f.code, right);
		if (PASSWORD_NAME.test(name) && !NOT_PLAIN.test(name) && /\brequest\b|\bform\b|\bjson\b|\bargs\b|input\(|getpass/.test(text)) out.add(name);
		else if (/\brequest\b/.test(text) && /['"](pass|passwd|password|pwd)['"]/i.test(text) && !NOT_PLAIN.test(name)) out.add(name);
	}
	// one or two hops: pw = password.encode('utf-8')
	for (let pass = 0; pass < 2; pass++)
		for (const a of assigns) {
			const left = field(a, 'left');
			const right = field(a, 'right');
			if (left?.type !== 'identifier' || !right || NOT_PLAIN.test(textOf(f.code, left))) continue;
			if (ofType(right, 'call').some((c) => /hash|crypt|kdf|digest|derive/i.test(calleeOf(f.code, c)))) continue;
			if (ids(f.code, right).some((n) => out.has(n))) out.add(textOf(f.code, left));
		}
	return out;
}

export function pyCredentials(f: FunctionFacts): TreeFinding[] {
	const passwords = plainPasswords(f);
	if (!passwords.size) return [];
	const calls = ofType(f.node, 'call');
	const takesPassword = (c: Syn) => {
		const list = field(c, 'arguments');
		return !!list && ids(f.code, list).some((n) => passwords.has(n));
	};
	// a slow KDF (or a project helper that says it hashes) takes the password: protected
	const helper = (callee: string) => callee !== 'hash' && callee !== 'encrypt' && /hash|crypt|kdf|derive/i.test(lastSegment(callee));
	if (calls.some((c) => (SLOW_KDF.test(calleeOf(f.code, c)) || helper(calleeOf(f.code, c))) && !FAST_DIGEST.test(calleeOf(f.code, c)) && takesPassword(c))) return [];
	// names holding a digest object: h = hashlib.sha256() (only their .update() digests)
	const digestObjects = new Set<string>();
	for (const a of ofType(f.node, 'assignment')) {
		const left = field(a, 'left');
		const right = field(a, 'right');
		if (left?.type === 'identifier' && right?.type === 'call' && isDigestCall(calleeOf(f.code, right))) digestObjects.add(textOf(f.code, left));
	}
	// a digest inside a constant-time comparison verifies a password, it does not store it
	const compares = calls.filter((c) => lastSegment(calleeOf(f.code, c)) === 'compare_digest');
	const onlyCompared = (c: Syn) => {
		if (compares.some((k) => c.start >= k.start && c.end <= k.end)) return true;
		// digest = hashlib.sha256(pw).hexdigest(); return hmac.compare_digest(stored, digest)
		let up = c.parent;
		while (up && up.type !== 'assignment' && up.type !== 'expression_statement' && up.type !== 'block') up = up.parent;
		const left = up?.type === 'assignment' ? field(up, 'left') : undefined;
		if (left?.type !== 'identifier') return false;
		const name = textOf(f.code, left);
		const uses = ofType(f.node, 'identifier').filter((d) => d.start > up!.end && textOf(f.code, d) === name);
		return uses.length > 0 && uses.every((d) => compares.some((k) => d.start >= k.start && d.end <= k.end));
	};
	for (const c of calls) {
		const callee = calleeOf(f.code, c);
		const digest = isDigestCall(callee);
		const update = lastSegment(callee) === 'update' && digestObjects.has(callee.slice(0, -'.update'.length));
		if ((digest || update) && takesPassword(c) && !onlyCompared(c)) return [{ rule: 'py.credentials.fast-digest', line: c.line, message: `${callee}() digests the password fast and unsalted; passwords need a slow salted KDF (bcrypt, scrypt, pbkdf2, argon2)` }];
	}
	for (const c of calls) {
		const callee = calleeOf(f.code, c);
		const method = lastSegment(callee);
		const list = field(c, 'arguments');
		if (!list) continue;
		const args = named(list);
		// an INSERT / UPDATE that binds the password as given
		if (/^(execute|executemany)$/.test(method) && args[0] && /\b(insert|update|replace)\b/i.test(textOf(f.code, args[0])) && args.slice(1).some((a) => ids(f.code, a).some((n) => passwords.has(n))))
			return [{ rule: 'py.credentials.plaintext-stored', line: c.line, message: `${callee}() stores the password as given, unhashed` }];
		// an ORM create / constructor with password=<plain> (not a connection or a login given it)
		const record = ORM_CREATE.test(method) || (method === 'update' && /\.objects\b/.test(callee)) || (/^[A-Z]/.test(method) && !NOT_A_RECORD.test(method));
		if (!record) continue;
		for (const k of args.filter((a) => a.type === 'keyword_argument')) {
			const key = field(k, 'name');
			const value = field(k, 'value');
			if (key && value && PASSWORD_NAME.test(textOf(f.code, key)) && !NOT_PLAIN.test(textOf(f.code, key)) && value.type === 'identifier' && passwords.has(textOf(f.code, value)))
				return [{ rule: 'py.credentials.plaintext-stored', line: c.line, message: `${callee}() gets ${textOf(f.code, key)}=${textOf(f.code, value)}: the password is stored as given, unhashed` }];
		}
	}
	// user.password = password / record['password'] = password, then saved (an object that only holds it in memory is not storage)
	const persists = (after: number) => calls.some((c) => c.start > after && /^(save|commit|add|put|insert|insert_one|update|update_one|set|flush|dump|write|persist|store)$/.test(lastSegment(calleeOf(f.code, c))));
	for (const a of ofType(f.node, 'assignment')) {
		if (!persists(a.end)) continue;
		const left = field(a, 'left');
		const right = field(a, 'right');
		if (!left || right?.type !== 'identifier' || !passwords.has(textOf(f.code, right))) continue;
		const key = left.type === 'attribute' ? textOf(f.code, field(left, 'attribute') ?? left) : left.type === 'subscript' ? textOf(f.code, field(left, 'subscript') ?? left).replace(/['"]/g, '') : '';
		if (PASSWORD_NAME.test(key) && !NOT_PLAIN.test(key)) return [{ rule: 'py.credentials.plaintext-stored', line: a.line, message: `${textOf(f.code, left)} is set to the password as given, unhashed` }];
	}
	return [];
}

/** The decorators of a function definition (the `decorated_definition` around it). */
const decoratorsOf = (f: FunctionFacts) => (f.node.parent?.type === 'decorated_definition' ? f.node.parent.children.filter((c) => c.type === 'decorator').map((d) => textOf(f.code, d)) : []);
// bounded \w{0,40}: an unbounded \w* before `_required` backtracks quadratically over a long decorator
const AUTH_DECORATOR = /login_required|permission_required|staff_member_required|superuser_required|user_passes_test|auth\w{0,40}_required|require\w{0,40}_(login|auth|permission|staff)|permission_classes|authentication_classes|IsAuthenticated|jwt_required|token_required/;
const AUTH_TEST = /request\.user\.(is_authenticated|is_staff|is_superuser|is_anonymous|has_perm|has_perms|is_active)|\bPermissionDenied\b|redirect_to_login|\bcheck_permission|\bhas_permission/;
const CHANGES_STATE = /^(delete|remove|reset|update|save|create|destroy|drop|clear|purge|flush|truncate|disable|enable|grant|revoke|set_password|deactivate|activate|bulk_create|bulk_update|add|set)$/;
/** A receiver that holds model records: Model.objects…, or a name assigned from it, from get_object_or_404 or from a model constructor. */
const FROM_MODEL = /\.objects\b|\bget_(object|list)_or_404\(|^[A-Z]\w*\(/;

function isDjangoView(f: FunctionFacts): boolean {
	if (f.params[0] !== 'request') return false;
	if (decoratorsOf(f).some((d) => /\.(route|get|post|put|delete|patch)\b/.test(d))) return false; // a Flask / FastAPI route: the token rules' shape
	return /\bdjango\b|\b(HttpResponse\w*|JsonResponse|render|redirect|get_object_or_404)\(/.test(f.code);
}

export function pyDjangoViewWithoutLogin(f: FunctionFacts): TreeFinding[] {
	if (!isDjangoView(f)) return [];
	const name = textOf(f.code, field(f.node, 'name') ?? f.node);
	const body = field(f.node, 'body');
	if (!body) return [];
	// names holding records: invoice = get_object_or_404(Invoice, pk=pk); for row in Invoice.objects.filter(…)
	const records = new Set<string>();
	for (const a of ofType(body, 'assignment', 'for_statement')) {
		const left = field(a, 'left');
		const right = field(a, 'right');
		if (left?.type === 'identifier' && right && FROM_MODEL.test(textOf(f.code, right))) records.add(textOf(f.code, left));
	}
	const changesModel = (callee: string) => {
		const method = lastSegment(callee);
		if (!CHANGES_STATE.test(method) || !/\./.test(callee)) return false;
		const receiver = callee.slice(0, callee.length - method.length - 1);
		if (/\.objects\b/.test(receiver) || records.has(receiver.split(/[.([]/)[0])) return true;
		// a save() / delete() of a record or form (request.session is no model)
		return /^(save|delete)$/.test(method) && !/^request\b/.test(receiver);
	};
	const change = ofType(body, 'call').find((c) => changesModel(calleeOf(f.code, c)));
	if (!change) return [];
	if (decoratorsOf(f).some((d) => AUTH_DECORATOR.test(d)) || AUTH_TEST.test(textOf(f.code, body))) return [];
	// wrapped where the URLs are declared: login_required(reset_settings)
	if (new RegExp(`(login_required|permission_required|staff_member_required)\\(\\s*${name}\\b`).test(f.code) || /LoginRequiredMixin|PermissionRequiredMixin/.test(f.code)) return [];
	return [{ rule: 'py.auth.django-view-without-login', line: f.node.line, message: `the Django view ${name}() changes state (${calleeOf(f.code, change)}(), line ${change.line}) with no login decorator and no test of request.user` }];
}

const TYPE_CHECK = /splitext|endswith|content_type|mimetype|mime_type|guess_type|imghdr|\bmagic\.|\bfiletype\.|ALLOWED|allowed|whitelist|allowlist|valid\w{0,40}\(|FileExtensionValidator|\bext\w{0,40}\s{1,20}(not\s{1,20})?in\b|\.suffix\b|image\.(open|verify)|Image\.open/;

export function pyDjangoUpload(f: FunctionFacts): TreeFinding[] {
	const files = new Set<string>();
	for (const a of ofType(f.node, 'assignment')) {
		const left = field(a, 'left');
		const right = field(a, 'right');
		if (left?.type === 'identifier' && right && /\brequest\.FILES\b/.test(textOf(f.code, right))) files.add(textOf(f.code, left));
	}
	for (const loop of ofType(f.node, 'for_statement')) {
		const left = field(loop, 'left');
		const right = field(loop, 'right');
		if (left?.type === 'identifier' && right && /\brequest\.FILES\b/.test(textOf(f.code, right))) files.add(textOf(f.code, left));
	}
	if (!files.size) return [];
	if (TYPE_CHECK.test(textOf(f.code, f.node))) return [];
	const mentionsFile = (e: Syn) => ids(f.code, e).some((n) => files.has(n));
	for (const c of ofType(f.node, 'call')) {
		const callee = calleeOf(f.code, c);
		const list = field(c, 'arguments');
		if (!list) continue;
		const args = named(list);
		const writesFile = callee === 'open' && args[0] && mentionsFile(args[0]) && args.slice(1).some((a) => /['"][^'"]*[wa]/.test(textOf(f.code, a)));
		const stores = /^(save|store|put|upload|write_file|handle_uploaded_file)$/.test(lastSegment(callee)) && args.some(mentionsFile);
		if (writesFile || stores) return [{ rule: 'py.upload.django-unchecked-type', line: c.line, message: `${callee}() stores the uploaded ${[...files][0]} with no check of its extension or content type` }];
	}
	return [];
}

const INPUT = /\brequest\.(GET|POST|args|form|values|json|data|query_params|params|query|get_json|headers|cookies)\b|\binput\(|\bsys\.argv\b/;

const RANGE_CHECK = /^(min|max|clamp|range|validate\w*|check\w*)$/;

export function pyUncheckedNumber(f: FunctionFacts): TreeFinding[] {
	// Indexes built once per function, on first need (walking the function again for each
	// assignment made this family quadratic in the function's length: 70 s for 8,000 lines).
	let compared: Set<string> | null = null;
	let uses: Map<string, Syn[]> | null = null;
	/** Names that appear inside a comparison or inside a call of a range check (min, max, validate…). */
	const comparedNames = () => {
		if (compared) return compared;
		compared = new Set();
		const inside = new Set<Syn>();
		for (const d of walk(f.node)) {
			tick();
			const p = d === f.node ? null : d.parent;
			if (p && (inside.has(p) || p.type === 'comparison_operator' || (p.type === 'call' && RANGE_CHECK.test(lastSegment(calleeOf(f.code, p)))))) {
				inside.add(d);
				if (d.type === 'identifier') compared.add(textOf(f.code, d));
			}
		}
		return compared;
	};
	/** Per name: the calls and subscripts that mention it, by start (outer first at the same start); one walk for all names. */
	const usesOf = (name: string): Syn[] => {
		if (!uses) {
			const found = new Map<string, Set<Syn>>();
			for (const d of walk(f.node)) {
				tick();
				if (d.type !== 'identifier') continue;
				const text = textOf(f.code, d);
				const set = found.get(text) ?? found.set(text, new Set()).get(text)!;
				for (let u: Syn | null = d; u; u = u === f.node ? null : u.parent) if (u.type === 'call' || u.type === 'subscript') set.add(u);
			}
			uses = new Map([...found].map(([text, set]) => [text, [...set].sort((x, y) => x.start - y.start || y.end - x.end)]));
		}
		return uses.get(name) ?? [];
	};
	for (const a of ofType(f.node, 'assignment')) {
		const left = field(a, 'left');
		const right = field(a, 'right');
		if (left?.type !== 'identifier' || right?.type !== 'call' || !/^(int|float)$/.test(calleeOf(f.code, right)) || !INPUT.test(textOf(f.code, right))) continue;
		const name = textOf(f.code, left);
		if (comparedNames().has(name)) continue;
		// the first call or subscript (in source order) after the assignment that mentions the name
		const list = usesOf(name);
		let lo = 0;
		let hi = list.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (list[mid].start > a.end) hi = mid;
			else lo = mid + 1;
		}
		const used = list[lo];
		if (used) return [{ rule: 'py.input.unchecked-number', line: a.line, message: `${name} = ${calleeOf(f.code, right)}(…) of input is used (line ${used.line}) with no range check` }];
	}
	return [];
}
