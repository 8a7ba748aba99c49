// Loaded into the workbench server by benches (`node --import ./bench/lib/server-probe.js
// bin/start.js`, spawned with an IPC channel): measures the server from inside, changing
// nothing it does. The bench sends 'probe:reset' and 'probe:read'; the probe answers a read with
//   cpuMs      — the process's CPU (user + system) since the reset;
//   stallMaxMs — the longest event-loop delay since the reset (monitorEventLoopDelay, 5 ms
//                resolution: a callback that held the loop for 80 ms shows as ~80 ms);
//   stallP99Ms — its 99th percentile;
//   busyMaxMs  — the most CPU the process used between two ticks of a 5 ms timer: a stall
//                the server's own work caused (on a loaded machine the wall-clock stall also
//                counts the time the process waited for a core; this does not);
//   busyAtMs   — when that was, in ms since the reset;
//   mainBusyMaxMs — the same for the main thread alone (Linux: /proc/thread-self/schedstat, ns):
//               busyMaxMs also counts the process's other threads (GC helpers, the thread
//               pool's file writes), which run beside the event loop, not in its way; null
//               where the file is absent;
//   requests   — requests received since the reset, by path (query left off);
//   sentBytes  — response body bytes written, by path.
// Without an IPC channel (a plain `node --import`), it does nothing.
import { readFileSync } from 'node:fs';
import { Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

if (process.send) {
	const delay = monitorEventLoopDelay({ resolution: 5 });
	delay.enable();
	let cpu = process.cpuUsage();
	// Ticks of a 5 ms timer: the CPU used since the previous tick, the largest kept.
	let busyMax = 0;
	let busyAt = 0;
	let resetAt = performance.now();
	let lastTick = process.cpuUsage();
	/** The main thread's time on a CPU so far, ms (null: not Linux). */
	const mainCpu = () => {
		try {
			return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
		} catch {
			return null;
		}
	};
	let lastMain = mainCpu();
	let mainBusyMax = lastMain === null ? null : 0;
	setInterval(() => {
		const used = process.cpuUsage(lastTick);
		lastTick = process.cpuUsage();
		const ms = (used.user + used.system) / 1000;
		if (ms > busyMax) {
			busyMax = ms;
			busyAt = performance.now() - resetAt;
		}
		if (lastMain !== null) {
			const now = mainCpu();
			mainBusyMax = Math.max(mainBusyMax, now - lastMain);
			lastMain = now;
		}
	}, 5).unref();
	let requests = {};
	let sentBytes = {};

	const emit = Server.prototype.emit;
	Server.prototype.emit = function (event, req, res) {
		if (event === 'request') {
			const path = String(req.url ?? '').split('?')[0];
			requests[path] = (requests[path] ?? 0) + 1;
			const write = res.write;
			const end = res.end;
			const count = (chunk) => {
				if (chunk && typeof chunk !== 'function') sentBytes[path] = (sentBytes[path] ?? 0) + (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
			};
			res.write = function (chunk, ...rest) {
				count(chunk);
				return write.call(this, chunk, ...rest);
			};
			res.end = function (chunk, ...rest) {
				count(chunk);
				return end.call(this, chunk, ...rest);
			};
		}
		return emit.apply(this, arguments);
	};

	process.on('message', (message) => {
		if (message === 'probe:reset') {
			delay.reset();
			cpu = process.cpuUsage();
			busyMax = 0;
			if (mainBusyMax !== null) mainBusyMax = 0;
			resetAt = performance.now();
			requests = {};
			sentBytes = {};
			process.send({ probe: 'reset' });
		} else if (message === 'probe:read') {
			const used = process.cpuUsage(cpu);
			process.send({
				probe: 'read',
				cpuMs: (used.user + used.system) / 1000,
				stallMaxMs: delay.max / 1e6,
				stallP99Ms: delay.percentile(99) / 1e6,
				busyMaxMs: busyMax,
				busyAtMs: busyAt,
				mainBusyMaxMs: mainBusyMax,
				requests,
				sentBytes
			});
		}
	});
	// The channel must not keep the server alive, nor stop it from exiting on a signal.
	process.channel?.unref();
}
