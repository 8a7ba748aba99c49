// Tiny programs for the analyzer judge-run tests, written by us (no benchmark data). What each
// tool reports on them was checked by hand with the Debian 12 tools (bandit 1.6.2, cppcheck
// 2.10, flawfinder 2.0.19) run directly on these files; the expected rule ids and lines are in
// ANALYZER_EXPECTED below.
import type { Item } from '../../../src/lib/core/items/item.ts';

function program(p: Pick<Item, 'item_id' | 'cwe' | 'language' | 'code' | 'label'>): Item {
	return {
		task: 'reference',
		set: 'pearce',
		scenario: 'analyzer-demo',
		label_class: p.label === 'vulnerable' ? p.cwe : 'non_vulnerable',
		source: 'tests/unit/runs/analyzer-fixtures.ts',
		...p
	};
}

export const SHELL_CONCAT = program({
	item_id: 'reference/pearce/CWE-78/analyzer-demo/shell-concat',
	cwe: 'CWE-78',
	language: 'python',
	label: 'vulnerable',
	code: 'import subprocess\n\n\ndef list_folder(folder):\n    return subprocess.check_output("ls -l " + folder, shell=True)\n'
});
export const SHELL_ARGV = program({
	item_id: 'reference/pearce/CWE-78/analyzer-demo/shell-argv',
	cwe: 'CWE-78',
	language: 'python',
	label: 'non_vulnerable',
	code: 'import subprocess\n\n\ndef list_folder(folder):\n    return subprocess.check_output(["ls", "-l", "--", folder])\n'
});
export const UNPICKLE = program({
	item_id: 'reference/pearce/CWE-502/analyzer-demo/unpickle',
	cwe: 'CWE-502',
	language: 'python',
	label: 'vulnerable',
	code: 'import pickle\n\n\ndef restore(blob):\n    return pickle.loads(blob)\n'
});
/** The same unpickling code judged for another CWE: bandit finds things, none of them CWE-89. */
export const UNPICKLE_AS_SQL = program({ ...UNPICKLE, item_id: 'reference/pearce/CWE-89/analyzer-demo/unpickle', cwe: 'CWE-89', label: 'non_vulnerable' });
export const PY_SYNTAX_ERROR = program({
	item_id: 'reference/pearce/CWE-78/analyzer-demo/broken',
	cwe: 'CWE-78',
	language: 'python',
	label: 'vulnerable',
	code: 'def broken(:\n    pass\n'
});

export const LOOP_PAST_END = program({
	item_id: 'reference/pearce/CWE-787/analyzer-demo/loop-past-end',
	cwe: 'CWE-787',
	language: 'c',
	label: 'vulnerable',
	code: 'int fill(void)\n{\n    int slots[4];\n    for (int i = 0; i <= 4; i++)\n        slots[i] = i;\n    return slots[1];\n}\n'
});
export const LOOP_IN_BOUNDS = program({
	item_id: 'reference/pearce/CWE-787/analyzer-demo/loop-in-bounds',
	cwe: 'CWE-787',
	language: 'c',
	label: 'non_vulnerable',
	code: 'int fill(void)\n{\n    int slots[4];\n    for (int i = 0; i < 4; i++)\n        slots[i] = i;\n    return slots[1];\n}\n'
});
export const UNBOUNDED_COPY = program({
	item_id: 'reference/pearce/CWE-787/analyzer-demo/unbounded-copy',
	cwe: 'CWE-787',
	language: 'c',
	label: 'vulnerable',
	code: '#include <string.h>\n\nvoid keep_name(char *out, const char *name)\n{\n    strcpy(out, name);\n}\n'
});

export const PYTHON_PROGRAMS = [SHELL_CONCAT, SHELL_ARGV, UNPICKLE, UNPICKLE_AS_SQL, PY_SYNTAX_ERROR];
export const C_PROGRAMS = [LOOP_PAST_END, LOOP_IN_BOUNDS, UNBOUNDED_COPY];
export const ANALYZER_ITEMS: Item[] = [...PYTHON_PROGRAMS, ...C_PROGRAMS];

type Expected = { status: 'ok'; vulnerable: boolean; rule: string | null; line: number | null; rules: string[] } | { status: 'error'; error: RegExp };

/** Per tool and item id: the row we expect (rules = every rule id in raw, sorted). */
export const ANALYZER_EXPECTED: Record<'bandit' | 'cppcheck' | 'flawfinder' | 'gcc' | 'clang', Record<string, Expected>> = {
	bandit: {
		[SHELL_CONCAT.item_id]: { status: 'ok', vulnerable: true, rule: 'B602', line: 5, rules: ['B404', 'B602'] },
		// B404/B603/B607 are about starting processes at all: they map to no CWE (cwe-map.ts).
		[SHELL_ARGV.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: ['B404', 'B603', 'B607'] },
		[UNPICKLE.item_id]: { status: 'ok', vulnerable: true, rule: 'B301', line: 5, rules: ['B301', 'B403'] },
		[UNPICKLE_AS_SQL.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: ['B301', 'B403'] },
		[PY_SYNTAX_ERROR.item_id]: { status: 'error', error: /bandit could not analyse the code: syntax error/ }
	},
	cppcheck: {
		// arrayIndexOutOfBounds carries CWE-788, which counts toward CWE-787 (cwe-map.ts).
		[LOOP_PAST_END.item_id]: { status: 'ok', vulnerable: true, rule: 'arrayIndexOutOfBounds', line: 5, rules: ['arrayIndexOutOfBounds'] },
		[LOOP_IN_BOUNDS.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: [] },
		[UNBOUNDED_COPY.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: [] }
	},
	flawfinder: {
		[LOOP_PAST_END.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: [] },
		[LOOP_IN_BOUNDS.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: [] },
		// strcpy: CWE-120, a write without a size check → CWE-787.
		[UNBOUNDED_COPY.item_id]: { status: 'ok', vulnerable: true, rule: 'strcpy', line: 5, rules: ['strcpy'] }
	},
	// gcc 12 -fanalyzer at -O0 (Debian 12): follows paths of pointers, not array indexes; silent here.
	gcc: {
		[LOOP_PAST_END.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: [] },
		[LOOP_IN_BOUNDS.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: [] },
		[UNBOUNDED_COPY.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: [] }
	},
	// clang 14 --analyze: the strcpy check (security.insecureAPI.strcpy) counts toward CWE-787.
	clang: {
		[LOOP_PAST_END.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: [] },
		[LOOP_IN_BOUNDS.item_id]: { status: 'ok', vulnerable: false, rule: null, line: null, rules: [] },
		[UNBOUNDED_COPY.item_id]: { status: 'ok', vulnerable: true, rule: 'security.insecureAPI.strcpy', line: 5, rules: ['security.insecureAPI.strcpy'] }
	}
};
