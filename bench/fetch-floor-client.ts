// One bare-fetch pass for bench/fetch-floor.js (run under Deno, one fresh process each): `count`
// chat requests at `concurrency` against the test double at <baseURL>, through plain fetch() (no
// openai client, no engine) — the floor any covw run sits on. Prints one JSON line: the wall time
// from the first request to the last answer, the CPU it used, and each request's round trip
// beyond the double's configured latency (the "slip": what the double, the loopback and Deno's
// fetch add per answer).
// Usage: deno run --allow-net=127.0.0.1 bench/fetch-floor-client.ts <baseURL> <count> <concurrency>
import process from 'node:process';

const [baseURL, countArg, concurrencyArg] = Deno.args;
const count = Number(countArg);
const concurrency = Number(concurrencyArg);
// A detection prompt's size (~1.5 KB), as covw run detection sends.
const filler = 'Is the following program vulnerable? Answer in JSON. '.repeat(28);

const trips: number[] = [];
let next = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
async function worker() {
	while (next < count) {
		const i = next++;
		const sent = performance.now();
		const res = await fetch(`${baseURL}/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: 'Bearer bench', 'x-covw-unit': `unit-${i}`, 'x-covw-sample': '0' },
			body: JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: `${filler} item ${i}` }], temperature: 0.6 })
		});
		await res.json();
		trips.push(performance.now() - sent);
	}
}
await Promise.all(Array.from({ length: concurrency }, worker));
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, trips }));
