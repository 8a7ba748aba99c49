// Fixes DuckDB-WASM's threaded (coi) worker, which copies data into and out of the wasm memory
// through a stale view after one of DuckDB's own threads grew that memory (duckdb-wasm issue
// #2256, open; seen here as "RangeError: offset is out of bounds" loading a 1M-row table).
//
// The bindings in the worker read and write the heap through `Module.HEAPU8` (and friends), a
// view Emscripten replaces only when the worker's own thread grows the memory or its own glue
// notices the growth. When a pthread grew the shared memory during a query, the worker thread's
// view (and, in Chrome, even `wasmMemory.buffer` until something refreshes it) still has the old
// length: the next `_malloc` may hand out an address past that length, and
// `HEAPU8.subarray(p, p + n).set(bytes)` throws (inserts, registered buffers) or a result copy
// silently comes out short. Measured with a patched worker: pointer 25.7 MB, view 16.8 MB.
//
// The patch makes the worker's `Module.HEAP*` accessors that refresh first: `wasmMemory.grow(0)`
// (which returns the memory's true size and refreshes `wasmMemory.buffer` on this thread) and a
// new set of views when the size moved. A few hundred ns per access: the bindings' copies make a
// handful per call, but the worker's byte-by-byte loops (file and extension loads over XHR, which
// this app never uses: no network files, no extensions) would pay it per byte. The route serves
// the patched text with an ETag of its bytes, so a new patch or package version is a new ETag.
// Plain JS: the server route that serves the worker, the bench and the tests share it.

const VIEWS = ['HEAP8', 'HEAP16', 'HEAPU8', 'HEAPU16', 'HEAP32', 'HEAPU32', 'HEAPF32', 'HEAPF64'];

/** Emscripten's view update in the worker (names kept by its minifier). */
const UPDATE_VIEWS = /function updateMemoryViews\(\)\{var (\w+)=wasmMemory\.buffer;[^}]*\}/;

/** Installed right after updateMemoryViews: accessors that hand out views over the whole memory. */
const ACCESSORS =
	';function covwFreshViews(){if(!wasmMemory||!HEAP8)return;' +
	'if(wasmMemory.grow(0)*65536!==HEAP8.byteLength)updateMemoryViews()}' +
	';(function(){var get={' +
	VIEWS.map((name) => `${name}:function(){return ${name}}`).join(',') +
	'};Object.keys(get).forEach(function(name){Object.defineProperty(Module,name,{configurable:true,enumerable:true,' +
	'get:function(){covwFreshViews();return get[name]()},set:function(){}})})})();';

/**
 * The coi worker's source with the fix, or an Error saying why it does not apply (another
 * duckdb-wasm version): the page then runs the single-threaded bundle instead.
 * @param {string} source the text of duckdb-browser-coi.worker.js
 * @returns {string | Error}
 */
export function patchCoiWorker(source) {
	const matches = source.match(new RegExp(UPDATE_VIEWS.source, 'g')) ?? [];
	if (matches.length !== 1) return new Error(`duckdb coi worker: expected one updateMemoryViews, found ${matches.length}`);
	const update = matches[0];
	for (const name of VIEWS) {
		if (!update.includes(`Module.${name}=${name}=`)) return new Error(`duckdb coi worker: updateMemoryViews does not set Module.${name}`);
	}
	if (source.includes('covwFreshViews')) return new Error('duckdb coi worker: already patched');
	// The worker's source map describes the unpatched file: drop the comment that asks for it.
	const body = source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
	return body.replace(update, () => update + ACCESSORS);
}
