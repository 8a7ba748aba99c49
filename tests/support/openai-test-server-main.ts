// TEST DOUBLE as a standalone process (for the benchmark, demos and manual poking):
//   deno run --allow-net=127.0.0.1 --allow-env tests/support/openai-test-server-main.ts [latencyMs] [--demo]
//     [--latency <ms>] [--port <n>] [--models a,b,c] [--help]
// Prints "listening <base URL>" once ready; runs until killed. Plain, every answer is a short
// canned "answer <hash>" (what the benchmarks time). With --demo (`npm run test-double`), it
// answers like a model would, deterministically: completions and repairs with code (secure or
// not by a fixed rule), refusals, prose and broken code now and then, detection answers in the
// paper's format, and the Vul-Evol evolution and filter prompts — so run cells, self-correction,
// `covw evolve` and the labelling view all have something to show. The usage text is USAGE.
import { startTestServer } from './openai-test-server.ts';
import { statsLine } from './double-stats-line.ts';
import { GENERATION_RATES, REPAIR_RATES } from './realistic-answers.ts';

// Run by Deno (see the header); typed here so the Node-side type check knows its use.
declare const Deno: { args: string[]; exit(code: number): never; addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void };

const USAGE = `usage: npm run test-double -- [options]
       deno run --allow-net=127.0.0.1 --allow-env tests/support/openai-test-server-main.ts [latencyMs] [--demo] [options]

The project's OpenAI-compatible TEST DOUBLE (not a model) on 127.0.0.1. Prints "listening <base URL>"
once ready and runs until stopped (Ctrl-C). Routes: POST /v1/chat/completions (JSON or streamed),
GET /v1/models, and the Files and Batches API.

Counting requests: GET /__double/stats answers what it has been asked since it started, as JSON:
{"requests": all, "by_path": {"POST /v1/chat/completions": n, …}, "by_model": {"gpt-4o": n, …},
"answered": chat answers sent in full, "units": run units asked for, "units_sent_again": units
asked more than once (a retry, or a resume after abandoned requests)}, e.g.
  curl -s http://127.0.0.1:5202/__double/stats
On Ctrl-C (SIGINT) or SIGTERM it prints the same counts as one line before it exits.

  --demo            answer as a model would (npm run test-double sets it): completions with code,
                    secure or not, about 1 KB; refusals ${GENERATION_RATES.refusal}%, prose without code ${GENERATION_RATES.prose}%,
                    answers cut off ${GENERATION_RATES.cut_off}%, code that does not compile ${GENERATION_RATES.broken}%; repairs, with
                    ${REPAIR_RATES.refusal}% refusals and ${REPAIR_RATES.prose}% prose; detection and judge JSON; Vul-Evol prompts.
                    Deterministic: the same model, prompt and run unit (the engine's x-covw-unit
                    header, a batch line's custom_id) always get the same answer, live, streamed
                    or by batch, first sent, resumed or retried. Without --demo: "answer <hash>".
  --latency <ms>    wait this long before each answer (default 0; npm run test-double: 20).
                    A bare number as the first argument means the same.
  --port <n>        listen on this port (default: a free port, printed at start).
  --models <a,b,c>  the names GET /v1/models lists (default: test-model). Chat requests are
                    answered for ANY model name, listed or not.
  --help            print this and exit.

Example: npm run test-double -- --port 5202 --latency 200 --models gpt-4o,gpt-4o-mini
then OPENAI_BASE_URL=http://127.0.0.1:5202/v1 OPENAI_API_KEY=x npm start
`;

function fail(message: string): never {
	console.error(`test-double: ${message}\n\n${USAGE}`);
	Deno.exit(2);
}

const args = [...Deno.args];
if (args.includes('--help') || args.includes('-h')) {
	console.log(USAGE);
	Deno.exit(0);
}
let demo = false;
let latencyMs = 0;
let port: number | undefined;
let models: string[] | undefined;
const value = (flag: string, inline: string | undefined): string => {
	if (inline !== undefined) return inline;
	const v = args.shift();
	if (v === undefined || v.startsWith('--')) fail(`${flag} needs a value`);
	return v;
};
const integer = (flag: string, text: string, min: number, max: number): number => {
	if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) fail(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
	return Number(text);
};
let positional = 0;
while (args.length > 0) {
	const arg = args.shift()!;
	const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
	if (flag === '--demo') demo = true;
	else if (flag === '--latency') latencyMs = integer('--latency', value(flag, inline), 0, 600_000);
	else if (flag === '--port') port = integer('--port', value(flag, inline), 1, 65535);
	else if (flag === '--models') {
		models = value(flag, inline).split(',').map((m) => m.trim()).filter((m) => m !== '');
		if (models.length === 0) fail('--models needs at least one name, e.g. --models gpt-4o,gpt-4o-mini');
	} else if (!flag.startsWith('-') && positional === 0) {
		// The historical positional latency (benches and the npm script pass it).
		positional++;
		latencyMs = integer('latency', flag, 0, 600_000);
	} else fail(`unknown argument "${arg}"`);
}

let server;
try {
	server = await startTestServer({ latencyMs, port, models, ...(demo ? { answers: 'realistic' as const, vulEvol: true } : {}) });
} catch (e) {
	const code = (e as { code?: string }).code;
	fail(code === 'EADDRINUSE' ? `port ${port} is in use; pick another --port or leave it out for a free one` : `cannot start: ${(e as Error).message}`);
}
// The counts a user can read without a proxy: one line on the way out (and GET /__double/stats meanwhile).
const printStatsAndExit = () => {
	console.log(`test-double stats: ${statsLine(server.stats())}`);
	Deno.exit(0);
};
Deno.addSignalListener('SIGINT', printStatsAndExit);
Deno.addSignalListener('SIGTERM', printStatsAndExit);
console.log(`listening ${server.url}${demo ? ' (demo answers: code, refusals, prose, broken code, detection, Vul-Evol)' : ''}`);
if (latencyMs > 0 || models) console.log(`latency ${latencyMs} ms; /v1/models lists ${(models ?? ['test-model']).join(', ')} (any model name is answered)`);
