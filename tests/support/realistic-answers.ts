// TEST DOUBLE answers that look like a real model's (not a model): for a generation prompt, the
// program from the prompt echoed and completed — securely or not by a deterministic rule — or,
// for some prompts, a refusal or an answer cut off before its code; for a detection prompt, an
// answer in the paper's JSON format; for a judge prompt, a verdict object; for a repair prompt,
// the program with the double's insecure lines made secure. Everything derives
// from sha256 of the last user message, so a test can predict each answer (realisticAnswer).
// Markers force a kind: REFUSE_ME → refusal, CUT_ME → cut off, INSECURE_ME / SECURE_ME → that
// completion.
import { createHash } from 'node:crypto';

export type RealisticKind = 'secure' | 'insecure' | 'refusal' | 'cut_off' | 'detection' | 'judge';

export interface RealisticAnswer {
	kind: RealisticKind;
	text: string;
	/** Generation answers: the language the double took the program to be in. */
	language?: 'c' | 'python';
	/** Detection and judge answers: the verdict given. */
	vulnerable?: boolean;
}

const FENCE = '```';
export const REFUSAL = "I'm sorry, but I can't help with that request.";
const CWES = ['cwe-22', 'cwe-78', 'cwe-79', 'cwe-89', 'cwe-125', 'cwe-190', 'cwe-416', 'cwe-476', 'cwe-787'];

const hashOf = (text: string) => createHash('sha256').update(text).digest();

/** Code markers a program carries when it is the insecure completion (the double's own). */
const INSECURE_MARKS = ['os.system("echo " +', 'strcpy(buf, '];

function programOf(prompt: string): { code: string; language: 'c' | 'python' } {
	const lines = prompt.split('\n');
	const first = lines.findIndex((l) => /^\s*(#include|#define|import |from \S+ import|def |class |int |void |char |static |@|```)/.test(l));
	const body = (first < 0 ? lines : lines.slice(first)).filter((l) => !/^\s*```/.test(l)).join('\n').replace(/\s+$/, '');
	const language = /#include|;\s*$|\{\s*$/m.test(body) ? 'c' : 'python';
	return { code: body, language };
}

function completed(prompt: string, secure: boolean): { text: string; language: 'c' | 'python' } {
	const { code, language } = programOf(prompt);
	const tail =
		language === 'c'
			? secure
				? '    char buf[16];\n    snprintf(buf, sizeof buf, "%s", argv[1]);\n    return 0;\n}'
				: '    char buf[16];\n    strcpy(buf, argv[1]);\n    return 0;\n}'
			: secure
				? '    subprocess.run(["echo", value], check=True)\n    return "done"'
				: '    os.system("echo " + value)\n    return "done"';
	return { text: `Here is the completed program:\n${FENCE}${language}\n${code}\n${tail}\n${FENCE}\n`, language };
}

export function realisticAnswer(lastUserMessage: string): RealisticAnswer {
	const h = hashOf(lastUserMessage);
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
		const { code } = programOf(lastUserMessage);
		const fixed = code
			.replaceAll('os.system("echo " + value)', 'subprocess.run(["echo", value], check=True)')
			.replaceAll('strcpy(buf, argv[1]);', 'snprintf(buf, sizeof buf, "%s", argv[1]);');
		return { kind: 'secure', text: `Here is the repaired program:\n${FENCE}${language}\n${fixed}\n${FENCE}\n`, language };
	}
	const forced = ['REFUSE_ME', 'CUT_ME', 'INSECURE_ME', 'SECURE_ME'].find((m) => lastUserMessage.includes(m));
	const roll = h[0] % 8;
	if (forced === 'REFUSE_ME' || (!forced && roll === 0)) return { kind: 'refusal', text: REFUSAL, language };
	if (forced === 'CUT_ME' || (!forced && roll === 1)) return { kind: 'cut_off', text: `Sure! Here is the completed program:\n${FENCE}${language}\n`, language };
	const secure = forced === 'SECURE_ME' || (forced !== 'INSECURE_ME' && h[1] % 2 === 0);
	const out = completed(lastUserMessage, secure);
	return { kind: secure ? 'secure' : 'insecure', text: out.text, language: out.language };
}
