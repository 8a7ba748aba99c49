// A loopback port nothing listens on (taken, then closed), for the servers a benchmark starts.
import { createServer } from 'node:net';

/** @returns {Promise<number>} */
export function freePort() {
	return new Promise((ok, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
			probe.close(() => ok(port));
		});
	});
}
