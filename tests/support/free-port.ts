// A loopback port nothing listens on (taken, then closed): for a server a test starts, or for an
// endpoint a test wants down.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => done(port));
		});
		probe.on('error', fail);
	});
}
