// Where the server and CLI find things. Each folder can be moved with an environment variable
// (tests point them at temporary folders; users at their own data).
import { resolve } from 'node:path';
import process from 'node:process';

export function projectRoot(): string {
	return resolve(process.env.COVW_ROOT ?? process.cwd());
}
export function dataDir(): string {
	return resolve(process.env.COVW_DATA ?? resolve(projectRoot(), 'datasets'));
}
export function notebooksDir(): string {
	return resolve(process.env.COVW_NOTEBOOKS ?? resolve(projectRoot(), 'notebooks'));
}
export function runsDir(): string {
	return resolve(process.env.COVW_RUNS ?? resolve(projectRoot(), 'runs'));
}
export function cacheDir(): string {
	return resolve(process.env.COVW_CACHE ?? resolve(projectRoot(), 'cache'));
}
