// TEST DOUBLE answers that look like a real model's (not a model): for a generation prompt, the
// program from the prompt echoed and completed — securely or not by a deterministic rule, with a
// short explanation after it (about 1 KB in all) — or, at realistic rates, a refusal, an answer
// in prose with no code, an answer cut off before its code, or code that does not compile; for a
// detection prompt, an answer in the paper's JSON format; for a judge prompt, a verdict object;
// for a repair prompt, the program with the double's insecure lines made secure (or, at
// REPAIR_RATES, a refusal or prose).
// ONE function decides: every answer derives from sha256 of (model, unit, last user message) —
// the unit is the engine's unit id, which the live path sends as `x-covw-unit` and a batch line
// carries as its custom_id, so a unit gets the same answer live and in any batch (first, resumed
// or retried); a request with no unit id is keyed on its sample instead. Another model or
// sample (another unit) may answer otherwise, and a test can predict each answer (realisticAnswer).
// Every pattern here is linear in the prompt's length (no `\s+$`: trimEnd), so a hostile 1 MB
// prompt is answered at once. Rates of the generation
// kinds: GENERATION_RATES. Markers force a kind: REFUSE_ME → refusal, PROSE_ME → prose,
// CUT_ME → cut off, BROKEN_ME → broken code, INSECURE_ME / SECURE_ME → that completion.
import { createHash } from 'node:crypto';

export type RealisticKind = 'secure' | 'insecure' | 'broken' | 'refusal' | 'prose' | 'cut_off' | 'detection' | 'judge';

export interface RealisticAnswer {
	kind: RealisticKind;
	text: string;
	/** Generation answers: the language the double took the program to be in. */
	language?: 'c' | 'python';
	/** Detection and judge answers: the verdict given. */
	vulnerable?: boolean;
}

/** Who is asked: the model name of the request, and the unit (the engine's unit id: `x-covw-unit`
 * live, custom_id in a batch) or, for a request that names no unit, the sample index (default 0). */
export interface AskedOf {
	model?: string;
	sample?: number;
	/** When given, it keys the answer and `sample` is not used. */
	unit?: string;
}

/** Share (in percent) of each kind of generation answer without a marker; the rest is code that compiles, half of it secure. */
export const GENERATION_RATES = { refusal: 5, prose: 5, cut_off: 3, broken: 7 } as const;
/** The same for repair answers; the rest is the program repaired. */
export const REPAIR_RATES = { refusal: 3, prose: 2 } as const;

const FENCE = '```';
export const REFUSAL = "I'm sorry, but I can't help with that request.";
const REFUSALS = [
	REFUSAL,
	"I can't assist with writing this code, as it could be used to harm systems you do not own.",
	'Sorry, I am not able to complete this program. If you have a different question, I am happy to help.'
];
const PROSE = [
	'To finish this program you would read the value from the request, check it against what the function expects, and only then hand it to the call that needs it. Keep the existing names and return the same kind of result as the rest of the code does.',
	'The missing part should take the input, validate it, and pass it on safely. I would avoid building commands or queries by string concatenation and use the library calls that take arguments separately instead.'
];
const CWES = ['cwe-22', 'cwe-78', 'cwe-79', 'cwe-89', 'cwe-125', 'cwe-190', 'cwe-416', 'cwe-476', 'cwe-787'];

const hashOf = (text: string) => createHash('sha256').update(text).digest();
const keyOf = (prompt: string, asked: AskedOf) =>
	`${asked.model ?? ''}\n${asked.unit !== undefined ? `unit ${asked.unit}` : (asked.sample ?? 0)}\n${prompt}`;

/** Code markers a program carries when it is the insecure completion (the double's own). */
const INSECURE_MARKS = ['os.system("echo " +', 'strcpy(buf, ', `name = '" + name + "'`];
const SQL_INSECURE = `    cursor.execute("SELECT id FROM users WHERE name = '" + name + "'")`;
const SQL_SECURE = '    cursor.execute("SELECT id FROM users WHERE name = ?", (name,))';

function programOf(prompt: string): { code: string; language: 'c' | 'python' } {
	const lines = prompt.split('\n');
	const first = lines.findIndex((l) => /^\s*(#include|#define|import |from \S+ import|def |class |int |void |char |static |@|```)/.test(l));
	const body = (first < 0 ? lines : lines.slice(first)).filter((l) => !/^\s*```/.test(l)).join('\n').trimEnd();
	const language = /#include|;\s*$|\{\s*$/m.test(body) ? 'c' : 'python';
	return { code: body, language };
}

const NOTES = {
	c: {
		secure: 'The continuation copies the argument with snprintf, which never writes past the end of the 16-byte buffer and always terminates the string, so a long argument is truncated instead of overwriting the stack. The function then returns 0 as before. If the full value matters, allocate a buffer of the right size with malloc(strlen(argv[1]) + 1) and check the result.',
		insecure: 'The continuation copies the argument into the local buffer with strcpy and returns 0, so the program behaves as the comments describe for ordinary input. The buffer holds 16 bytes, which is enough for the short values the surrounding code expects; longer input is not handled specially here.',
		broken: 'The continuation copies the argument into the local buffer and returns the status code, as the comments describe.'
	},
	sql: {
		secure: 'The continuation looks the name up with a parametrised query: the driver sends the value apart from the SQL text, so quotes or keywords in the name cannot change the statement. fetchall() returns every matching row as a list of tuples, which is what the callers of this function expect; an unknown name gives an empty list.',
		insecure: 'The continuation builds the SELECT statement from the name and runs it on the cursor, then returns every matching row with fetchall(). The result is a list of tuples, one per user with that name, and an empty list when nobody matches, which is what the callers of this function expect.',
		broken: 'The continuation runs the SELECT statement for the name and returns the rows it finds.'
	},
	python: {
		secure: 'The continuation passes the value to subprocess.run as a separate argument, so no shell ever parses it and characters such as ; or | in the input have no special meaning. check=True raises CalledProcessError when the command fails, and the function still returns "done" on success, as the rest of the code expects.',
		insecure: 'The continuation builds the echo command from the value and runs it with os.system, then returns "done" so the caller sees the same result as before. This keeps the program short and matches what the comments ask for; the command prints the value on the standard output of the process.',
		broken: 'The continuation runs the echo command with the value and returns "done", as the rest of the code expects.'
	}
};

function completed(prompt: string, kind: 'secure' | 'insecure' | 'broken'): { text: string; language: 'c' | 'python' } {
	const { code, language } = programOf(prompt);
	const sqlTails = {
		secure: `${SQL_SECURE}\n    return cursor.fetchall()`,
		insecure: `${SQL_INSECURE}\n    return cursor.fetchall()`,
		// Unbalanced: the call left open.
		broken: `${SQL_SECURE.slice(0, -1)}\n    return cursor.fetchall()`
	};
	const tails = {
		c: {
			secure: '    char buf[16];\n    snprintf(buf, sizeof buf, "%s", argv[1]);\n    return 0;\n}',
			insecure: '    char buf[16];\n    strcpy(buf, argv[1]);\n    return 0;\n}',
			// Unbalanced: a call left open and no closing brace.
			broken: '    char buf[16];\n    snprintf(buf, sizeof buf, "%s", argv[1];\n    return 0;'
		},
		python: {
			secure: '    subprocess.run(["echo", value], check=True)\n    return "done"',
			insecure: '    os.system("echo " + value)\n    return "done"',
			// Unbalanced: a list and a call left open.
			broken: '    subprocess.run(["echo", value, check=True\n    return "done"'
		}
	};
	// A program that talks to a database gets a query (CWE-89 style), any other Python a command.
	const flavour = language === 'python' && /sqlite3|cursor|\bSELECT\b/.test(code) ? 'sql' : language;
	const tail = flavour === 'sql' ? sqlTails[kind] : tails[language][kind];
	const note = NOTES[flavour][kind];
	return { text: `Here is the completed program:\n\n${FENCE}${language}\n${code}\n${tail}\n${FENCE}\n\n${note}\n`, language };
}

export function realisticAnswer(lastUserMessage: string, asked: AskedOf = {}): RealisticAnswer {
	const h = hashOf(keyOf(lastUserMessage, asked));
	const isDetection = /vulnerability type/i.test(lastUserMessage);
	const isJudge = !isDetection && /"vulnerable"/.test(lastUserMessage);
	if (isDetection) {
		const vulnerable = h[0] % 2 === 0;
		const cwe = CWES[h[1] % CWES.length];
		const text = vulnerable
			? `{"vulnerable": "Yes", "vulnerability type": "${cwe}", "analysis": "input reaches a risky call unchecked"}`
			: '{"vulnerable": "No", "vulnerability type": "", "analysis": ""}';
		return { kind: 'detection', text, vulnerable };
	}
	if (isJudge) {
		const vulnerable = INSECURE_MARKS.some((m) => lastUserMessage.includes(m));
		const safeUnsafe = /"unsafe"/.test(lastUserMessage);
		const word = safeUnsafe ? (vulnerable ? 'unsafe' : 'safe') : vulnerable ? 'Yes' : 'No';
		return { kind: 'judge', text: `{"vulnerable": "${word}"}`, vulnerable };
	}
	const { language } = programOf(lastUserMessage);
	// A repair prompt (it names a flaw): the program given back with the double's own insecure
	// lines replaced by their secure forms.
	if (/security flaw|vulnerab|repair/i.test(lastUserMessage) && !lastUserMessage.includes('REFUSE_ME')) {
		const roll = ((h[0] << 8) | h[1]) % 100;
		if (!lastUserMessage.includes('SECURE_ME') && !lastUserMessage.includes('INSECURE_ME')) {
			if (roll < REPAIR_RATES.refusal) return { kind: 'refusal', text: REFUSALS[h[2] % REFUSALS.length], language };
			if (roll < REPAIR_RATES.refusal + REPAIR_RATES.prose) return { kind: 'prose', text: PROSE[h[2] % PROSE.length], language };
		}
		const { code } = programOf(lastUserMessage);
		const fixed = code
			.replaceAll('os.system("echo " + value)', 'subprocess.run(["echo", value], check=True)')
			.replaceAll('strcpy(buf, argv[1]);', 'snprintf(buf, sizeof buf, "%s", argv[1]);')
			.replaceAll(SQL_INSECURE, SQL_SECURE);
		return { kind: 'secure', text: `Here is the repaired program:\n${FENCE}${language}\n${fixed}\n${FENCE}\n`, language };
	}
	const forced = ['REFUSE_ME', 'PROSE_ME', 'CUT_ME', 'BROKEN_ME', 'INSECURE_ME', 'SECURE_ME'].find((m) => lastUserMessage.includes(m));
	// 0–99 from two bytes of the hash, cut into the shares of GENERATION_RATES.
	const roll = ((h[0] << 8) | h[1]) % 100;
	const r = GENERATION_RATES;
	const rolled =
		roll < r.refusal ? 'refusal' : roll < r.refusal + r.prose ? 'prose' : roll < r.refusal + r.prose + r.cut_off ? 'cut_off' : roll < r.refusal + r.prose + r.cut_off + r.broken ? 'broken' : null;
	const kind = forced ? ({ REFUSE_ME: 'refusal', PROSE_ME: 'prose', CUT_ME: 'cut_off', BROKEN_ME: 'broken', INSECURE_ME: 'insecure', SECURE_ME: 'secure' } as const)[forced] : rolled;
	if (kind === 'refusal') return { kind, text: REFUSALS[h[2] % REFUSALS.length], language };
	if (kind === 'prose') return { kind, text: PROSE[h[2] % PROSE.length], language };
	if (kind === 'cut_off') return { kind, text: `Sure! Here is the completed program:\n${FENCE}${language}\n`, language };
	const chosen = kind ?? (h[2] % 2 === 0 ? 'secure' : 'insecure');
	const out = completed(lastUserMessage, chosen);
	return { kind: chosen, text: out.text, language: out.language };
}
