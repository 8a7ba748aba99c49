// Small programs written for these tests (our own code): for each CWE a vulnerable and a
// fixed version, in the language(s) where the CWE applies, and the rule expected to fire.

export interface RuleFixture {
	cwe: string;
	language: 'c' | 'python';
	name: string;
	vulnerable: boolean;
	/** Rule id expected among the findings when vulnerable. */
	rule?: string;
	code: string;
}

const py = (s: string) => s.replace(/^\n/, '');

export const RULE_FIXTURES: RuleFixture[] = [
	// CWE-20
	{ cwe: 'CWE-20', language: 'python', name: 'host checked with `in`', vulnerable: true, rule: 'py.cwe-20.url-substring-check', code: py(`
from flask import request, redirect
def go():
    dest = request.args.get('next', '')
    if "trusted.org" in dest:
        return redirect(dest)
    return redirect('/')
`) },
	{ cwe: 'CWE-20', language: 'python', name: 'host parsed and compared', vulnerable: false, code: py(`
from urllib.parse import urlparse
from flask import request, redirect
def go():
    dest = request.args.get('next', '')
    if urlparse(dest).hostname == "trusted.org":
        return redirect(dest)
    return redirect('/')
`) },
	{ cwe: 'CWE-20', language: 'python', name: 'anchored regex with an unescaped dot', vulnerable: true, rule: 'py.cwe-20.regex-unescaped-dot-in-host', code: py(`
import re
allowed = re.compile(r"^https://(api|www).trusted.org/")
`) },
	{ cwe: 'CWE-20', language: 'c', name: 'unchecked numeric parameter', vulnerable: true, rule: 'c.cwe-20.unchecked-numeric-parameter', code: `
double order_total(double unit_price, int count) {
    return unit_price * count;
}` },
	{ cwe: 'CWE-20', language: 'c', name: 'range-checked parameter', vulnerable: false, code: `
double order_total(double unit_price, int count) {
    if (count <= 0 || count > 1000 || unit_price < 0) return 0;
    return unit_price * count;
}` },
	// CWE-22
	{ cwe: 'CWE-22', language: 'python', name: 'request path into open', vulnerable: true, rule: 'py.cwe-22.input-path-to-file-operation', code: py(`
from flask import request
def report():
    name = request.args.get('doc')
    with open('reports/' + name) as fh:
        return fh.read()
`) },
	{ cwe: 'CWE-22', language: 'python', name: 'normalised and contained', vulnerable: false, code: py(`
import os
from flask import request, abort
def report():
    name = request.args.get('doc')
    full = os.path.realpath(os.path.join('reports', name))
    if not full.startswith(os.path.realpath('reports') + os.sep):
        abort(404)
    with open(full) as fh:
        return fh.read()
`) },
	{ cwe: 'CWE-22', language: 'python', name: 'tar extracted blindly', vulnerable: true, rule: 'py.cwe-22.archive-extracted-unchecked', code: py(`
import tarfile
with tarfile.open("bundle.tgz") as t:
    t.extractall("/srv/out")
`) },
	{ cwe: 'CWE-22', language: 'python', name: 'tar members checked', vulnerable: false, code: py(`
import tarfile, os
with tarfile.open("bundle.tgz") as t:
    for m in t.getmembers():
        if m.name.startswith('/') or '..' in m.name:
            raise ValueError(m.name)
    t.extractall("/srv/out")
`) },
	{ cwe: 'CWE-22', language: 'c', name: 'argv path into fopen', vulnerable: true, rule: 'c.cwe-22.input-path-to-file-operation', code: `
#include <stdio.h>
int main(int argc, char **argv) {
    char path[512];
    snprintf(path, sizeof path, "/var/data/%s", argv[1]);
    FILE *f = fopen(path, "r");
    return f == NULL;
}` },
	{ cwe: 'CWE-22', language: 'c', name: 'argv path rejected when it has ..', vulnerable: false, code: `
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
    char path[512];
    if (strstr(argv[1], "..") != NULL) return 1;
    snprintf(path, sizeof path, "/var/data/%s", argv[1]);
    FILE *f = fopen(path, "r");
    return f == NULL;
}` },
	// CWE-78
	{ cwe: 'CWE-78', language: 'python', name: 'shell=True with input', vulnerable: true, rule: 'py.cwe-78.shell-with-variable', code: py(`
import subprocess
from flask import request
def lookup():
    host = request.args['host']
    return subprocess.check_output("nslookup " + host, shell=True)
`) },
	{ cwe: 'CWE-78', language: 'python', name: 'argument list without a shell', vulnerable: false, code: py(`
import subprocess
from flask import request
def lookup():
    host = request.args['host']
    return subprocess.check_output(["nslookup", host])
`) },
	{ cwe: 'CWE-78', language: 'c', name: 'system() of formatted argv', vulnerable: true, rule: 'c.cwe-78.shell-with-input', code: `
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char *argv[]) {
    char line[300];
    sprintf(line, "wc -l %s", argv[1]);
    return system(line);
}` },
	{ cwe: 'CWE-78', language: 'c', name: 'system() of a constant', vulnerable: false, code: `
#include <stdlib.h>
int main(void) { return system("uptime"); }` },
	// CWE-79
	{ cwe: 'CWE-79', language: 'python', name: 'greeting echoes the query', vulnerable: true, rule: 'py.cwe-79.reflected-input', code: py(`
from flask import request
@app.route('/hi')
def hi():
    who = request.args.get('who', '')
    return "<h1>Hi " + who + "</h1>"
`) },
	{ cwe: 'CWE-79', language: 'python', name: 'greeting escapes the query', vulnerable: false, code: py(`
from flask import request
from markupsafe import escape
@app.route('/hi')
def hi():
    who = request.args.get('who', '')
    return "<h1>Hi " + escape(who) + "</h1>"
`) },
	{ cwe: 'CWE-79', language: 'python', name: 'jinja without autoescape', vulnerable: true, rule: 'py.cwe-79.jinja-autoescape-off', code: py(`
from jinja2 import Environment, FileSystemLoader
templates = Environment(loader=FileSystemLoader("tpl"))
`) },
	{ cwe: 'CWE-79', language: 'python', name: 'jinja with autoescape', vulnerable: false, code: py(`
from jinja2 import Environment, FileSystemLoader, select_autoescape
templates = Environment(loader=FileSystemLoader("tpl"), autoescape=select_autoescape())
`) },
	{ cwe: 'CWE-79', language: 'c', name: 'raw input into page', vulnerable: true, rule: 'c.cwe-79.unescaped-input-in-page', code: `
void page(FILE *in, FILE *out) {
    char nick[64];
    fgets(nick, sizeof nick, in);
    fprintf(out, "<p>%s</p>", nick);
}` },
	{ cwe: 'CWE-79', language: 'c', name: 'escaped input into page', vulnerable: false, code: `
void page(FILE *in, FILE *out) {
    char nick[64];
    fgets(nick, sizeof nick, in);
    fprintf(out, "<p>%s</p>", html_escape(nick));
}` },
	// CWE-89
	{ cwe: 'CWE-89', language: 'python', name: 'f-string query', vulnerable: true, rule: 'py.cwe-89.built-query', code: py(`
def find(db, request):
    tag = request.args['tag']
    cur = db.cursor()
    cur.execute(f"SELECT id FROM notes WHERE tag = '{tag}'")
`) },
	{ cwe: 'CWE-89', language: 'python', name: 'query built in a variable with %', vulnerable: true, rule: 'py.cwe-89.built-query', code: py(`
def find(db, tag):
    q = "SELECT id FROM notes WHERE tag = '%s'" % tag
    db.cursor().execute(q)
`) },
	{ cwe: 'CWE-89', language: 'python', name: 'parameterised query', vulnerable: false, code: py(`
def find(db, request):
    tag = request.args['tag']
    db.cursor().execute("SELECT id FROM notes WHERE tag = %s", (tag,))
`) },
	// CWE-119
	{ cwe: 'CWE-119', language: 'c', name: 'sizeof a pointer as length', vulnerable: true, rule: 'c.cwe-119.copy-length-mismatch', code: `
#include <string.h>
void f(void) {
    const char *greeting = "hey";
    char out[32];
    memcpy(out, greeting, sizeof(greeting));
}` },
	{ cwe: 'CWE-119', language: 'c', name: 'length of the source', vulnerable: false, code: `
#include <string.h>
void f(void) {
    const char *greeting = "hey";
    char out[32];
    memcpy(out, greeting, strlen(greeting) + 1);
}` },
	{ cwe: 'CWE-119', language: 'c', name: 'argv indexed by input', vulnerable: true, rule: 'c.cwe-119.unchecked-input-index', code: `
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char *argv[]) {
    int pick = atoi(argv[1]);
    puts(argv[pick]);
    return 0;
}` },
	// CWE-125
	{ cwe: 'CWE-125', language: 'c', name: 'read without lower bound', vulnerable: true, rule: 'c.cwe-125.unchecked-index-read', code: `
int level_at(int *levels, int count, int pos) {
    if (pos < count) return levels[pos];
    return -1;
}` },
	{ cwe: 'CWE-125', language: 'c', name: 'read with both bounds', vulnerable: false, code: `
int level_at(int *levels, int count, int pos) {
    if (pos >= 0 && pos < count) return levels[pos];
    return -1;
}` },
	// CWE-190
	{ cwe: 'CWE-190', language: 'c', name: 'pointer declarations of input names are no multiplication', vulnerable: false, code: `
#include <stdio.h>
int main(int argc, char *argv[]) {
    FILE *f;
    char *name = argv[1];
    f = fopen(name, "r");
    if (f == NULL) return 1;
    fclose(f);
    return 0;
}
` },
	{ cwe: 'CWE-190', language: 'c', name: 'a dereference of an input pointer is no multiplication', vulnerable: false, code: `
#include <stdio.h>
int main(int argc, char *argv[]) {
    char *name = argv[1];
    char first;
    first = *name;
    putchar(first);
    return 0;
}
` },
	{ cwe: 'CWE-190', language: 'c', name: 'input multiplied inside a call is still arithmetic', vulnerable: true, rule: 'c.cwe-190.unchecked-input-arithmetic', code: `
#include <stdlib.h>
int main(int argc, char *argv[]) {
    int n = atoi(argv[1]);
    char *p = malloc(n * 8);
    free(p);
    return 0;
}
` },
	{ cwe: 'CWE-190', language: 'c', name: 'input times constant', vulnerable: true, rule: 'c.cwe-190.unchecked-input-arithmetic', code: `
#include <stdlib.h>
int main(int argc, char **argv) {
    int seats = atoi(argv[1]);
    int cents = seats * 2500;
    return cents;
}` },
	{ cwe: 'CWE-190', language: 'c', name: 'input bounded before multiplying', vulnerable: false, code: `
#include <stdlib.h>
#include <limits.h>
int main(int argc, char **argv) {
    int seats = atoi(argv[1]);
    if (seats < 0 || seats > INT_MAX / 2500) return 1;
    int cents = seats * 2500;
    return cents;
}` },
	// CWE-200
	{ cwe: 'CWE-200', language: 'python', name: 'exception text returned', vulnerable: true, rule: 'py.cwe-200.exception-in-response', code: py(`
from flask import Flask
app = Flask(__name__)

@app.route("/items")
def load():
    try:
        return db.fetch()
    except Exception as err:
        return "failed: " + str(err)
`) },
	{ cwe: 'CWE-200', language: 'python', name: 'exception text returned by library code (no response)', vulnerable: false, code: py(`
def load(db):
    try:
        return db.fetch()
    except Exception as err:
        return "failed: " + str(err)
`) },
	{ cwe: 'CWE-79', language: 'python', name: 'library code returning its argument (no page)', vulnerable: false, code: py(`
def normalise(value):
    value = value.strip()
    return value
`) },
	{ cwe: 'CWE-200', language: 'python', name: 'generic error message', vulnerable: false, code: py(`
import logging
def load(db):
    try:
        return db.fetch()
    except Exception:
        logging.exception("fetch failed")
        return "failed"
`) },
	{ cwe: 'CWE-200', language: 'python', name: 'login says which part was wrong', vulnerable: true, rule: 'py.cwe-200.login-reveals-which-part-failed', code: py(`
def login(row, given):
    if row is None:
        return "unknown user"
    if row.pw != given:
        return "wrong password"
    return "ok"
`) },
	{ cwe: 'CWE-200', language: 'c', name: 'password printed', vulnerable: true, rule: 'c.cwe-200.secret-printed', code: `
#include <stdio.h>
void dump(const char *user, const char *password) { printf("%s:%s\\n", user, password); }` },
	{ cwe: 'CWE-200', language: 'c', name: 'only the user printed', vulnerable: false, code: `
#include <stdio.h>
void dump(const char *user, const char *password) { printf("%s\\n", user); }` },
	// CWE-306
	{ cwe: 'CWE-306', language: 'python', name: 'settings route without login', vulnerable: true, rule: 'py.cwe-306.sensitive-route-without-auth', code: py(`
@app.route('/settings/delete', methods=['POST'])
def delete_account():
    db.remove(request.form['id'])
    return 'gone'
`) },
	{ cwe: 'CWE-306', language: 'python', name: 'settings route with login decorator', vulnerable: false, code: py(`
@app.route('/settings/delete', methods=['POST'])
@login_required
def delete_account():
    db.remove(current_user.id)
    return 'gone'
`) },
	{ cwe: 'CWE-306', language: 'python', name: 'admin page without role check', vulnerable: true, rule: 'py.cwe-306.admin-route-without-role-check', code: py(`
@app.route('/admin/panel')
@login_required
def panel():
    return 'all users: ' + ', '.join(list_users())
`) },
	{ cwe: 'CWE-306', language: 'python', name: 'admin page with role check', vulnerable: false, code: py(`
@app.route('/admin/panel')
@login_required
def panel():
    if not current_user.is_admin:
        abort(403)
    return 'all users: ' + ', '.join(list_users())
`) },
	// CWE-416
	{ cwe: 'CWE-416', language: 'c', name: 'buffer read after free', vulnerable: true, rule: 'c.cwe-416.use-after-free', code: `
#include <stdlib.h>
#include <stdio.h>
void f(void) {
    char *note = malloc(16);
    if (!note) return;
    free(note);
    printf("%c", note[0]);
}` },
	{ cwe: 'CWE-416', language: 'c', name: 'pointer cleared after free', vulnerable: false, code: `
#include <stdlib.h>
void f(void) {
    char *note = malloc(16);
    if (!note) return;
    free(note);
    note = NULL;
}` },
	// CWE-434
	{ cwe: 'CWE-434', language: 'python', name: 'upload saved as is', vulnerable: true, rule: 'py.cwe-434.upload-without-type-check', code: py(`
from flask import request
def put_avatar():
    pic = request.files['pic']
    pic.save('/srv/avatars/' + pic.filename)
    return 'ok'
`) },
	{ cwe: 'CWE-434', language: 'python', name: 'upload extension checked', vulnerable: false, code: py(`
from flask import request
def put_avatar():
    pic = request.files['pic']
    if not pic.filename.lower().endswith('.png'):
        return 'png only', 400
    pic.save('/srv/avatars/avatar.png')
    return 'ok'
`) },
	// CWE-476
	{ cwe: 'CWE-476', language: 'c', name: 'malloc used unchecked', vulnerable: true, rule: 'c.cwe-476.unchecked-result-dereferenced', code: `
#include <stdlib.h>
struct point { int x, y; };
struct point *origin(void) {
    struct point *p = malloc(sizeof *p);
    p->x = 0;
    p->y = 0;
    return p;
}` },
	{ cwe: 'CWE-476', language: 'c', name: 'malloc checked', vulnerable: false, code: `
#include <stdlib.h>
struct point { int x, y; };
struct point *origin(void) {
    struct point *p = malloc(sizeof *p);
    if (p == NULL) return NULL;
    p->x = 0;
    p->y = 0;
    return p;
}` },
	// CWE-502
	{ cwe: 'CWE-502', language: 'python', name: 'pickle of request body', vulnerable: true, rule: 'py.cwe-502.unsafe-deserialiser', code: py(`
import pickle
from flask import request
def restore():
    state = pickle.loads(request.get_data())
    return str(state)
`) },
	{ cwe: 'CWE-502', language: 'python', name: 'yaml without a loader', vulnerable: true, rule: 'py.cwe-502.yaml-load-without-safe-loader', code: py(`
import yaml
def parse(text):
    return yaml.load(text)
`) },
	{ cwe: 'CWE-502', language: 'python', name: 'yaml safe_load', vulnerable: false, code: py(`
import yaml
from flask import request
def parse():
    return yaml.safe_load(request.args['doc'])
`) },
	// CWE-522
	{ cwe: 'CWE-522', language: 'python', name: 'md5 of password', vulnerable: true, rule: 'py.cwe-522.fast-hash-for-password', code: py(`
import hashlib
from flask import request
def signup(db):
    pw = request.form['password']
    digest = hashlib.md5(pw.encode()).hexdigest()
    db.execute("INSERT INTO u VALUES (%s)", (digest,))
`) },
	{ cwe: 'CWE-522', language: 'python', name: 'password stored in clear', vulnerable: true, rule: 'py.cwe-522.plaintext-password-stored', code: py(`
from flask import request
def signup(db):
    pw = request.form['password']
    db.execute("INSERT INTO u VALUES (%s)", (pw,))
`) },
	{ cwe: 'CWE-522', language: 'python', name: 'bcrypt', vulnerable: false, code: py(`
import bcrypt
from flask import request
def signup(db):
    pw = request.form['password']
    db.execute("INSERT INTO u VALUES (%s)", (bcrypt.hashpw(pw.encode(), bcrypt.gensalt()),))
`) },
	// CWE-732
	{ cwe: 'CWE-732', language: 'c', name: 'file created 0666', vulnerable: true, rule: 'cwe-732.world-writable-create', code: `
#include <fcntl.h>
int f(void) { return open("keys.db", O_CREAT | O_WRONLY, 0666); }` },
	{ cwe: 'CWE-732', language: 'c', name: 'file created owner-only', vulnerable: false, code: `
#include <fcntl.h>
int f(void) { return open("keys.db", O_CREAT | O_WRONLY, S_IRUSR | S_IWUSR); }` },
	{ cwe: 'CWE-732', language: 'python', name: 'chmod world readable', vulnerable: true, rule: 'cwe-732.permissive-chmod', code: py(`
import os
os.chmod("token.txt", 0o644)
`) },
	{ cwe: 'CWE-732', language: 'python', name: 'chmod owner read only', vulnerable: false, code: py(`
import os
os.chmod("token.txt", 0o400)
`) },
	// CWE-787
	{ cwe: 'CWE-787', language: 'c', name: 'strcpy of argv into a small buffer', vulnerable: true, rule: 'c.cwe-787.unbounded-input-copy', code: `
#include <string.h>
int main(int argc, char **argv) {
    char label[16];
    strcpy(label, argv[1]);
    return 0;
}` },
	{ cwe: 'CWE-787', language: 'c', name: 'bounded copy of argv', vulnerable: false, code: `
#include <string.h>
int main(int argc, char **argv) {
    char label[16];
    strncpy(label, argv[1], sizeof label - 1);
    label[sizeof label - 1] = 0;
    return 0;
}` },
	{ cwe: 'CWE-787', language: 'c', name: 'write at unchecked input index', vulnerable: true, rule: 'c.cwe-787.unchecked-index-write', code: `
#include <stdio.h>
int main(void) {
    int slots[8];
    int at;
    scanf("%d", &at);
    slots[at] = 1;
    return 0;
}` },
	// CWE-798
	{ cwe: 'CWE-798', language: 'python', name: 'password compared with a literal', vulnerable: true, rule: 'cwe-798.credential-compared-with-literal', code: py(`
def is_operator(user, password):
    return user == "ops" and password == "letmein42"
`) },
	{ cwe: 'CWE-798', language: 'python', name: 'password from environment', vulnerable: false, code: py(`
import os, hmac
def is_operator(user, password):
    return hmac.compare_digest(password, os.environ["OPS_PASSWORD"])
`) },
	{ cwe: 'CWE-798', language: 'c', name: 'strcmp with a literal password', vulnerable: true, rule: 'cwe-798.credential-compared-with-literal', code: `
#include <string.h>
int ok(const char *password) { return strcmp(password, "hunter2") == 0; }` },
	{ cwe: 'CWE-798', language: 'c', name: 'password looked up', vulnerable: false, code: `
#include <string.h>
int ok(const char *password, const char *stored) { return strcmp(password, stored) == 0; }` }
];
