// Starting the built workbench for browser tests: a free loopback port, and waiting until the
// server answers (or failing when it exits first). Shared by global-setup.ts and the tests that
// start a server of their own (adversarial.e2e.ts).
import type { ChildProcess } from 'node:child_process';
export { freePort } from '../support/free-port.ts';

export async function waitForServer(url: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`server did not answer at ${url} within 30 s`);
}
