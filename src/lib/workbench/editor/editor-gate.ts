// When the page builds its cell editors. Building them (CodeMirror: its code, parsing,
// highlighting, DOM) took more of the main thread than everything else before a notebook's first
// plot (bench/notebook-open.js; a CPU profile put it at ~40% of the path). So a notebook opened
// with a first paint (first-paint.ts) holds them until its first run ended, or the recording
// turned out absent, or a click on a cell's source asks, or MAX_HOLD_MS passed; then they are
// built one per task, so the page answers input in between. Until then a cell shows its source
// as plain text.

const MAX_HOLD_MS = 5000;

let held = false;
let open = false;
let release: () => void = () => {};
const opened = new Promise<void>((resolve) => (release = resolve));
let queue: Promise<void> = Promise.resolve();

/** A first paint is under way: editors wait (at most MAX_HOLD_MS). */
export function holdEditors(): void {
	if (open || held) return;
	held = true;
	setTimeout(openEditors, MAX_HOLD_MS);
}

/** Editors may be built now. */
export function openEditors(): void {
	if (open) return;
	open = true;
	release();
}

/** Resolves when this editor may be built: the gate is open and the editors before it are done. */
export function editorTurn(): Promise<void> {
	if (!held) openEditors();
	const turn = queue.then(() => opened).then(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
	queue = turn;
	return turn;
}
