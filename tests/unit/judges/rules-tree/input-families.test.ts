// The wave-7 families for credentials, Django views and uploads, numbers parsed from input and
// secrets in C log lines (trial report, item 4), each on our own small vulnerable and fixed
// programs: the vulnerable one is flagged with the rule and line, the fixed one passes.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTreeRuleJudge, type TreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';

let judge: TreeRuleJudge;
beforeAll(async () => {
	judge = await createTreeRuleJudge();
});

const rulesOf = (code: string, language: 'c' | 'python', cwe: string, prefix: string) => judge.judge({ code, language, cwe }).findings.filter((f) => f.rule.startsWith(prefix));

describe('CWE-522: passwords in library code', () => {
	it('a password parameter fed to sha1 is flagged; pbkdf2 with a salt passes', () => {
		const vulnerable = `import hashlib\n\ndef make_account(store, login, passwd):\n    digest = hashlib.sha1(passwd.encode("utf-8")).hexdigest()\n    store.put(login, digest)\n`;
		const fixed = `import hashlib, secrets\n\ndef make_account(store, login, passwd):\n    salt = secrets.token_bytes(16)\n    digest = hashlib.pbkdf2_hmac("sha512", passwd.encode("utf-8"), salt, 300000)\n    store.put(login, salt + digest)\n`;
		expect(rulesOf(vulnerable, 'python', 'CWE-522', 'py.credentials.')).toEqual([expect.objectContaining({ rule: 'py.credentials.fast-digest', line: 4 })]);
		expect(rulesOf(fixed, 'python', 'CWE-522', 'py.credentials.')).toEqual([]);
	});

	it('a password bound as given into an UPDATE is flagged; the same statement with an argon2 hash passes', () => {
		const vulnerable = `def change_password(conn, user_id, new_password):\n    conn.execute("UPDATE accounts SET pw = ? WHERE id = ?", (new_password, user_id))\n`;
		const fixed = `from argon2 import PasswordHasher\n\ndef change_password(conn, user_id, new_password):\n    stored = PasswordHasher().hash(new_password)\n    conn.execute("UPDATE accounts SET pw = ? WHERE id = ?", (stored, user_id))\n`;
		expect(rulesOf(vulnerable, 'python', 'CWE-522', 'py.credentials.')).toEqual([expect.objectContaining({ rule: 'py.credentials.plaintext-stored', line: 2 })]);
		expect(rulesOf(fixed, 'python', 'CWE-522', 'py.credentials.')).toEqual([]);
	});

	it('an ORM record or attribute given the plain password is flagged; a lookup that only compares it is not storage', () => {
		const stored = `def add_member(Member, email, password):\n    return Member.objects.create(email=email, password=password)\n`;
		const attribute = `def set_secret(member, password):\n    member.password = password\n    member.save()\n`;
		const lookup = `def find_member(conn, email, password):\n    return conn.execute("SELECT id FROM members WHERE email = ?", (email,)).fetchone()\n`;
		expect(rulesOf(stored, 'python', 'CWE-522', 'py.credentials.')).toEqual([expect.objectContaining({ rule: 'py.credentials.plaintext-stored', line: 2 })]);
		expect(rulesOf(attribute, 'python', 'CWE-522', 'py.credentials.')).toEqual([expect.objectContaining({ rule: 'py.credentials.plaintext-stored', line: 2 })]);
		expect(rulesOf(lookup, 'python', 'CWE-522', 'py.credentials.')).toEqual([]);
	});
});

describe('CWE-306: Django views', () => {
	it('a view that deletes with no login decorator is flagged; @login_required or a test of request.user passes', () => {
		const vulnerable = `from django.shortcuts import get_object_or_404, redirect\n\ndef drop_invoice(request, pk):\n    invoice = get_object_or_404(Invoice, pk=pk)\n    invoice.delete()\n    return redirect("/invoices/")\n`;
		const decorated = `from django.shortcuts import get_object_or_404, redirect\nfrom django.contrib.auth.decorators import login_required\n\n@login_required\ndef drop_invoice(request, pk):\n    invoice = get_object_or_404(Invoice, pk=pk)\n    invoice.delete()\n    return redirect("/invoices/")\n`;
		const tested = `from django.shortcuts import get_object_or_404, redirect\nfrom django.core.exceptions import PermissionDenied\n\ndef drop_invoice(request, pk):\n    if not request.user.is_authenticated:\n        raise PermissionDenied\n    invoice = get_object_or_404(Invoice, pk=pk)\n    invoice.delete()\n    return redirect("/invoices/")\n`;
		expect(rulesOf(vulnerable, 'python', 'CWE-306', 'py.auth.')).toEqual([expect.objectContaining({ rule: 'py.auth.django-view-without-login', line: 3 })]);
		expect(rulesOf(decorated, 'python', 'CWE-306', 'py.auth.')).toEqual([]);
		expect(rulesOf(tested, 'python', 'CWE-306', 'py.auth.')).toEqual([]);
	});

	it('a read-only view with a plain name is not flagged', () => {
		const code = `from django.http import JsonResponse\n\ndef list_invoices(request):\n    return JsonResponse({"items": [i.number for i in Invoice.objects.all()]})\n`;
		expect(rulesOf(code, 'python', 'CWE-306', 'py.auth.')).toEqual([]);
	});
});

describe('CWE-434: Django uploads', () => {
	it('request.FILES stored through a storage with no type check is flagged; an extension allow-list passes', () => {
		const vulnerable = `from django.core.files.storage import default_storage\nfrom django.http import JsonResponse\n\ndef attach(request):\n    part = request.FILES.get("attachment")\n    saved = default_storage.save("attachments/" + part.name, part)\n    return JsonResponse({"path": saved})\n`;
		const fixed = `import os\nfrom django.core.files.storage import default_storage\nfrom django.http import JsonResponse\n\nPERMITTED = {".png", ".jpg"}\n\ndef attach(request):\n    part = request.FILES.get("attachment")\n    if os.path.splitext(part.name)[1].lower() not in PERMITTED:\n        return JsonResponse({"error": "type"}, status=400)\n    saved = default_storage.save("attachments/" + part.name, part)\n    return JsonResponse({"path": saved})\n`;
		expect(rulesOf(vulnerable, 'python', 'CWE-434', 'py.upload.')).toEqual([expect.objectContaining({ rule: 'py.upload.django-unchecked-type', line: 6 })]);
		expect(rulesOf(fixed, 'python', 'CWE-434', 'py.upload.')).toEqual([]);
	});
});

describe('CWE-20: numbers parsed from input', () => {
	it('Python: int() of a query value used with no range check is flagged; a comparison passes', () => {
		const vulnerable = `from flask import request\n\ndef page_of(items):\n    page = int(request.args.get("page", "1"))\n    return items[page * 20:(page + 1) * 20]\n`;
		const fixed = `from flask import request, abort\n\ndef page_of(items):\n    page = int(request.args.get("page", "1"))\n    if page < 0 or page * 20 >= len(items):\n        abort(404)\n    return items[page * 20:(page + 1) * 20]\n`;
		expect(rulesOf(vulnerable, 'python', 'CWE-20', 'py.input.')).toEqual([expect.objectContaining({ rule: 'py.input.unchecked-number', line: 4 })]);
		expect(rulesOf(fixed, 'python', 'CWE-20', 'py.input.')).toEqual([]);
	});

	it('C: atoi() of an option stored in a field is flagged; strtol with a range test passes', () => {
		const vulnerable = `void opts_workers(struct opts *o, const char *text)\n{\n    o->workers = atoi(text);\n}\n`;
		const fixed = `int opts_workers(struct opts *o, const char *text)\n{\n    char *rest;\n    long n = strtol(text, &rest, 10);\n    if (*rest != '\\0' || n < 1 || n > 64)\n        return -1;\n    o->workers = (int)n;\n    return 0;\n}\n`;
		expect(rulesOf(vulnerable, 'c', 'CWE-20', 'c.input.')).toEqual([expect.objectContaining({ rule: 'c.input.unchecked-number', line: 3 })]);
		expect(rulesOf(fixed, 'c', 'CWE-20', 'c.input.')).toEqual([]);
	});

	it('C: atoi() straight into an index is flagged; a literal is not', () => {
		const vulnerable = `int level_of(const char *arg)\n{\n    return levels[atoi(arg)];\n}\n`;
		const literal = `int level_default(void)\n{\n    return atoi("3");\n}\n`;
		expect(rulesOf(vulnerable, 'c', 'CWE-20', 'c.input.')).toEqual([expect.objectContaining({ rule: 'c.input.unchecked-number', line: 3 })]);
		expect(rulesOf(literal, 'c', 'CWE-20', 'c.input.')).toEqual([]);
	});
});

describe('CWE-200: a secret in a C log line', () => {
	it('a token written by syslog is flagged; the line without it passes, and "password for %s" (the user) is not a secret', () => {
		const vulnerable = `void report_auth(const char *who, const char *token)\n{\n    syslog(LOG_WARNING, "rejected %s (token=%s)", who, token);\n}\n`;
		const fixed = `void report_auth(const char *who, const char *token)\n{\n    syslog(LOG_WARNING, "rejected %s", who);\n}\n`;
		const user = `void report_auth(const char *who)\n{\n    fprintf(stderr, "wrong password for %s\\n", who);\n}\n`;
		expect(rulesOf(vulnerable, 'c', 'CWE-200', 'c.secrets.')).toEqual([expect.objectContaining({ rule: 'c.secrets.secret-in-log', line: 3 })]);
		expect(rulesOf(fixed, 'c', 'CWE-200', 'c.secrets.')).toEqual([]);
		expect(rulesOf(user, 'c', 'CWE-200', 'c.secrets.')).toEqual([]);
	});
});

describe('CWE-522: a password kept in memory', () => {
	it('an object given the password and never saved is not storage', () => {
		const code = `def remember(session, password):\n    session.password = password\n    return session\n`;
		expect(rulesOf(code, 'python', 'CWE-522', 'py.credentials.')).toEqual([]);
	});
});

describe('CWE-20: strtol with its end pointer tested', () => {
	it('a value whose end pointer is tested after strtoul was validated as text; without the test it is flagged', () => {
		const checked = `unsigned long size_arg(const char *arg)\n{\n    char *stop;\n    unsigned long v = strtoul(arg, &stop, 0);\n    if (*stop != '\\0')\n        die("not a number");\n    return v;\n}\n`;
		const unchecked = `unsigned long size_arg(const char *arg)\n{\n    char *stop;\n    unsigned long v = strtoul(arg, &stop, 0);\n    return v;\n}\n`;
		expect(rulesOf(checked, 'c', 'CWE-20', 'c.input.')).toEqual([]);
		expect(rulesOf(unchecked, 'c', 'CWE-20', 'c.input.')).toEqual([expect.objectContaining({ rule: 'c.input.unchecked-number', line: 4 })]);
	});
});
