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

// Review 1 of wave 7, items 1–6: the false positives stay unflagged, the true cases flagged.
describe('CWE-522: only storage and digests count (review items 2–4)', () => {
	it('a password handed to a connection or a login is not stored; an ORM create or a model constructor still is', () => {
		const connect = `import psycopg2\n\ndef open_store(host, user, password):\n    return psycopg2.connect(host=host, user=user, password=password)\n`;
		const login = `import smtplib\n\ndef mail(user, password, note):\n    box = smtplib.SMTP("relay")\n    box.login(user, password=password)\n    box.send_message(note)\n`;
		const archive = `def read_member(self, name, pwd):\n    return self.open(name, "r", pwd=pwd)\n`;
		const client = `def dial(Connection, server, user, password):\n    return Connection(server, user=user, password=password)\n`;
		const model = `def enrol(Member, email, password):\n    m = Member(email=email, password=password)\n    return m\n`;
		const upsert = `def enrol(Member, email, password):\n    return Member.objects.update_or_create(email=email, password=password)\n`;
		for (const code of [connect, login, archive, client]) expect(rulesOf(code, 'python', 'CWE-522', 'py.credentials.')).toEqual([]);
		expect(rulesOf(model, 'python', 'CWE-522', 'py.credentials.')).toEqual([expect.objectContaining({ rule: 'py.credentials.plaintext-stored', line: 2 })]);
		expect(rulesOf(upsert, 'python', 'CWE-522', 'py.credentials.')).toEqual([expect.objectContaining({ rule: 'py.credentials.plaintext-stored', line: 2 })]);
	});

	it('.update(password) digests only on a hashlib object: a dict update or a helper object is not flagged', () => {
		const dict = `import hashlib\n\ndef options(opts, password):\n    opts.update(password=password)\n    return opts\n`;
		const inner = `import hashlib\n\ndef derive(prf, password):\n    inner = prf()\n    inner.update(password)\n    return inner\n`;
		const digest = `import hashlib\n\ndef fingerprint(password):\n    h = hashlib.sha256()\n    h.update(password.encode())\n    return h.hexdigest()\n`;
		expect(rulesOf(dict, 'python', 'CWE-522', 'py.credentials.')).toEqual([]);
		expect(rulesOf(inner, 'python', 'CWE-522', 'py.credentials.')).toEqual([]);
		expect(rulesOf(digest, 'python', 'CWE-522', 'py.credentials.')).toEqual([expect.objectContaining({ rule: 'py.credentials.fast-digest', line: 5 })]);
	});

	it('a digest only compared in compare_digest is a verification; the builtin hash() is no KDF', () => {
		const inline = `import hmac, hashlib\n\ndef matches(stored, password):\n    return hmac.compare_digest(stored, hashlib.sha256(password.encode()).hexdigest())\n`;
		const named = `import hmac, hashlib\n\ndef matches(stored, password):\n    given = hashlib.sha256(password.encode()).hexdigest()\n    return hmac.compare_digest(stored, given)\n`;
		const stored = `import hashlib\n\ndef keep(db, password):\n    given = hashlib.sha256(password.encode()).hexdigest()\n    db.put(given)\n`;
		const builtin = `def keep(db, user, password):\n    marker = hash(password)\n    db.execute("INSERT INTO users VALUES (?, ?)", (user, password))\n    return marker\n`;
		expect(rulesOf(inline, 'python', 'CWE-522', 'py.credentials.')).toEqual([]);
		expect(rulesOf(named, 'python', 'CWE-522', 'py.credentials.')).toEqual([]);
		expect(rulesOf(stored, 'python', 'CWE-522', 'py.credentials.')).toEqual([expect.objectContaining({ rule: 'py.credentials.fast-digest', line: 4 })]);
		expect(rulesOf(builtin, 'python', 'CWE-522', 'py.credentials.')).toEqual([expect.objectContaining({ rule: 'py.credentials.plaintext-stored', line: 3 })]);
	});
});

describe('CWE-306: only a changed model counts (review item 5)', () => {
	it('a context or session update and a sensitive-sounding name that only renders are not flagged; a queryset delete is', () => {
		const context = `from django.shortcuts import render\n\ndef home(request):\n    context = {"a": 1}\n    context.update({"b": 2})\n    return render(request, "home.html", context)\n`;
		const session = `from django.shortcuts import render\n\ndef pick_language(request):\n    request.session.set("lang", request.GET.get("l"))\n    return render(request, "lang.html")\n`;
		const named = `from django.shortcuts import render\n\ndef password_reset(request):\n    return render(request, "reset.html")\n`;
		const queryset = `from django.http import HttpResponse\n\ndef purge_drafts(request):\n    Draft.objects.filter(owner=request.GET["o"]).delete()\n    return HttpResponse("ok")\n`;
		const record = `from django.shortcuts import get_object_or_404, redirect\n\ndef rename(request, pk):\n    item = get_object_or_404(Item, pk=pk)\n    item.tags.clear()\n    return redirect("/")\n`;
		for (const code of [context, session, named]) expect(rulesOf(code, 'python', 'CWE-306', 'py.auth.')).toEqual([]);
		expect(rulesOf(queryset, 'python', 'CWE-306', 'py.auth.')).toEqual([expect.objectContaining({ rule: 'py.auth.django-view-without-login', line: 3 })]);
		expect(rulesOf(record, 'python', 'CWE-306', 'py.auth.')).toEqual([expect.objectContaining({ rule: 'py.auth.django-view-without-login', line: 3 })]);
	});
});

describe('CWE-200: tokens and pins that are no secrets (review item 6)', () => {
	it('a parser token and a GPIO pin are not flagged; a session token, or a token value named so, is', () => {
		const parser = `void parse_fail(const char *tok)\n{\n    fprintf(stderr, "unexpected token %s\\n", tok);\n}\n`;
		const pin = `void gpio_claim(int pin)\n{\n    printk("gpio pin %d requested\\n", pin);\n}\n`;
		const session = `void trace_login(const char *who, const char *sid)\n{\n    syslog(LOG_INFO, "user %s session token %s", who, sid);\n}\n`;
		const value = `void trace_refresh(int n, const char *refresh_token)\n{\n    printf("attempt %d token: %s\\n", n, refresh_token);\n}\n`;
		expect(rulesOf(parser, 'c', 'CWE-200', 'c.secrets.')).toEqual([]);
		expect(rulesOf(pin, 'c', 'CWE-200', 'c.secrets.')).toEqual([]);
		expect(rulesOf(session, 'c', 'CWE-200', 'c.secrets.')).toEqual([expect.objectContaining({ rule: 'c.secrets.secret-in-log', line: 3 })]);
		expect(rulesOf(value, 'c', 'CWE-200', 'c.secrets.')).toEqual([expect.objectContaining({ rule: 'c.secrets.secret-in-log', line: 3 })]);
	});
});

// Sizes at which the old patterns backtracked for minutes (three adjacent \s* over 20,000 spaces:
// cubic; \w* before `_required` over 20,000 "auth": quadratic). No timing assertion: the test's
// own timeout is the bound, and each case also checks the verdict.
describe('hostile sizes finish (review item 1)', () => {
	it('a 20 KB format literal, a 20,000-fold decorator, long upload checks and 6,000 assignments are judged', () => {
		const spaces = ' '.repeat(20000);
		expect(rulesOf(`void f(int x)\n{\n    printf("password${spaces}x %d", x);\n}\n`, 'c', 'CWE-200', 'c.secrets.')).toEqual([]);
		expect(rulesOf(`void f(const char *p)\n{\n    printf("password${spaces.slice(0, 4)}%s", p);\n}\n`, 'c', 'CWE-200', 'c.secrets.')).toHaveLength(1);
		expect(rulesOf(`void f(int x)\n{\n    printf("${'password '.repeat(3000)} x %q", x);\n}\n`, 'c', 'CWE-200', 'c.secrets.')).toEqual([]);
		expect(rulesOf(`void f(int x)\n{\n    ${'log'.repeat(7000)}("token %s", x);\n}\n`, 'c', 'CWE-200', 'c.secrets.')).toEqual([]);
		const view = `@${'auth'.repeat(20000)}\ndef drop(request):\n    Draft.objects.all().delete()\n    return HttpResponse()\n`;
		expect(rulesOf(view, 'python', 'CWE-306', 'py.auth.')).toEqual([expect.objectContaining({ rule: 'py.auth.django-view-without-login', line: 2 })]);
		const upload = `def put(request):\n    f = request.FILES["doc"]\n    x = "${'valid'.repeat(8000)}" + "${'ext'.repeat(6000)}${' '.repeat(6000)}"\n    default_storage.save(f.name, f)\n    open(f.name, "${'b'.repeat(20000)}")\n`;
		expect(rulesOf(upload, 'python', 'CWE-434', 'py.upload.')).toEqual([expect.objectContaining({ rule: 'py.upload.django-unchecked-type', line: 4 })]);
		const assigns = Array.from({ length: 6000 }, (_, i) => `    a${i} = g(b${i})`).join('\n');
		expect(rulesOf(`import hashlib\n\ndef f(password):\n${assigns}\n    return hashlib.md5(password).hexdigest()\n`, 'python', 'CWE-522', 'py.credentials.')).toEqual([expect.objectContaining({ rule: 'py.credentials.fast-digest', line: 6004 })]);
	}, 120_000);
});
