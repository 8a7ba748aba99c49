// node:path's POSIX functions that bin/permissions.js and src/lib/node/folder-rules.js use
// (resolve, join, dirname, isAbsolute, delimiter), as plain JavaScript with the same results, for
// bin/covw-flags.js only: the sh launcher's first Deno stage maps `node:path` here
// (bin/covw-flags.import-map.json), because Deno's own node:path loads its POSIX and Windows
// halves and the Node compatibility layer under them (~25 ms of a ~40 ms stage). bin/covw.js
// (Node) and the CLI keep the real node:path. tests/unit/cli/posix-path.test.ts compares every
// function here with node:path.posix on random paths.
// The algorithm is Node's (lib/path.js, MIT licence), cut to POSIX.
/* global Deno */

export const sep = '/';
export const delimiter = ':';

/** The working folder `resolve` starts from: Deno's, else Node's (for the tests, which run on Node). */
const cwd = () => (typeof Deno !== 'undefined' ? Deno.cwd() : process.cwd());

/** Resolves `.` and `..` in a path without its leading slash handled (Node's normalizeString). */
function normalizeString(path, allowAboveRoot) {
	let res = '';
	let lastSegmentLength = 0;
	let lastSlash = -1;
	let dots = 0;
	let code = 0;
	for (let i = 0; i <= path.length; ++i) {
		if (i < path.length) code = path.charCodeAt(i);
		else if (code === 47) break;
		else code = 47;
		if (code === 47) {
			if (lastSlash === i - 1 || dots === 1) {
				// NOOP
			} else if (dots === 2) {
				if (res.length < 2 || lastSegmentLength !== 2 || res.charCodeAt(res.length - 1) !== 46 || res.charCodeAt(res.length - 2) !== 46) {
					if (res.length > 2) {
						const lastSlashIndex = res.lastIndexOf('/');
						if (lastSlashIndex === -1) {
							res = '';
							lastSegmentLength = 0;
						} else {
							res = res.slice(0, lastSlashIndex);
							lastSegmentLength = res.length - 1 - res.lastIndexOf('/');
						}
						lastSlash = i;
						dots = 0;
						continue;
					} else if (res.length !== 0) {
						res = '';
						lastSegmentLength = 0;
						lastSlash = i;
						dots = 0;
						continue;
					}
				}
				if (allowAboveRoot) {
					res += res.length > 0 ? '/..' : '..';
					lastSegmentLength = 2;
				}
			} else {
				if (res.length > 0) res += `/${path.slice(lastSlash + 1, i)}`;
				else res = path.slice(lastSlash + 1, i);
				lastSegmentLength = i - lastSlash - 1;
			}
			lastSlash = i;
			dots = 0;
		} else if (code === 46 && dots !== -1) {
			++dots;
		} else {
			dots = -1;
		}
	}
	return res;
}

export function isAbsolute(path) {
	return path.length > 0 && path.charCodeAt(0) === 47;
}

export function resolve(...args) {
	let resolvedPath = '';
	let resolvedAbsolute = false;
	for (let i = args.length - 1; i >= -1 && !resolvedAbsolute; i--) {
		const path = i >= 0 ? args[i] : cwd();
		if (typeof path !== 'string') throw new TypeError(`The "paths[${i}]" argument must be of type string`);
		if (path.length === 0) continue;
		resolvedPath = `${path}/${resolvedPath}`;
		resolvedAbsolute = path.charCodeAt(0) === 47;
	}
	resolvedPath = normalizeString(resolvedPath, !resolvedAbsolute);
	if (resolvedAbsolute) return `/${resolvedPath}`;
	return resolvedPath.length > 0 ? resolvedPath : '.';
}

export function normalize(path) {
	if (path.length === 0) return '.';
	const absolute = path.charCodeAt(0) === 47;
	const trailingSeparator = path.charCodeAt(path.length - 1) === 47;
	path = normalizeString(path, !absolute);
	if (path.length === 0) {
		if (absolute) return '/';
		return trailingSeparator ? './' : '.';
	}
	if (trailingSeparator) path += '/';
	return absolute ? `/${path}` : path;
}

export function join(...args) {
	if (args.length === 0) return '.';
	let joined;
	for (const arg of args) {
		if (typeof arg !== 'string') throw new TypeError('The "path" argument must be of type string');
		if (arg.length > 0) joined = joined === undefined ? arg : `${joined}/${arg}`;
	}
	return joined === undefined ? '.' : normalize(joined);
}

export function dirname(path) {
	if (path.length === 0) return '.';
	const hasRoot = path.charCodeAt(0) === 47;
	let end = -1;
	let matchedSlash = true;
	for (let i = path.length - 1; i >= 1; --i) {
		if (path.charCodeAt(i) === 47) {
			if (!matchedSlash) {
				end = i;
				break;
			}
		} else {
			matchedSlash = false;
		}
	}
	if (end === -1) return hasRoot ? '/' : '.';
	if (hasRoot && end === 1) return '//';
	return path.slice(0, end);
}
