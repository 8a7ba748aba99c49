// Kills a tool's whole process group (the tool is spawned detached: its pid is the group's id),
// so gcc's cc1 or clang's -cc1 die with the driver. Deno lets a program signal other processes
// only with an unrestricted --allow-run, which the CLI does not have: there the driver is killed
// through its handle and the group through the `kill` executable (bin/permissions.js allows it
// with the analyzers; it runs no other program). Without either, children could outlive the driver.

import { execFile } from 'node:child_process';
import { which } from './which.ts';

let killPath: string | null | undefined;

/** SIGKILL to every process of group `pgid`; `killLeader` kills the group's leader through its handle. */
export function killProcessGroup(pgid: number, killLeader: () => void): void {
	try {
		process.kill(-pgid, 'SIGKILL');
		return;
	} catch {
		// not allowed to signal (Deno without full --allow-run), or the group is gone
	}
	killLeader();
	killPath ??= which('kill');
	if (!killPath) return;
	try {
		execFile(killPath, ['-s', 'KILL', '--', `-${pgid}`], { env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' } }, () => {});
	} catch {
		// not allowed to run it either
	}
}
