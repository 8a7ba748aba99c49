// How a reader has laid out a notebook on this browser: reading mode on or off, and which cells'
// editors are folded. Kept in browser storage (per notebook, per cell id), never in the .md file,
// so a shared notebook stays clean and each reader keeps their own layout across reloads.

/** The storage this needs (window.localStorage in the page; a Map-backed stand-in in tests). */
export interface KeyValueStore {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
	removeItem(key: string): void;
}

export interface ViewState {
	reading: boolean;
	/** Keys of the cells whose editor is folded (see cellViewKey). */
	collapsed: string[];
}

const PREFIX = 'covw.notebook-view.';

/** A cell's key: its id; a cell without one (markdown) by its position. */
export const cellViewKey = (id: string | null | undefined, index: number) => (id ? id : `#${index}`);

/** The saved state of notebook `name`; the default (nothing folded, not reading) when none or unreadable. */
export function readViewState(store: KeyValueStore | undefined, name: string): ViewState {
	const empty: ViewState = { reading: false, collapsed: [] };
	let text: string | null = null;
	try {
		text = store?.getItem(PREFIX + name) ?? null;
	} catch {
		return empty; // storage disabled: the layout just is not remembered
	}
	if (!text) return empty;
	try {
		const value = JSON.parse(text) as Partial<ViewState>;
		return {
			reading: value.reading === true,
			collapsed: Array.isArray(value.collapsed) ? value.collapsed.filter((k): k is string => typeof k === 'string') : []
		};
	} catch {
		return empty;
	}
}

/** Saves the state; the default state removes the entry (nothing left behind for an untouched notebook). */
export function writeViewState(store: KeyValueStore | undefined, name: string, state: ViewState): void {
	try {
		if (!state.reading && state.collapsed.length === 0) store?.removeItem(PREFIX + name);
		else store?.setItem(PREFIX + name, JSON.stringify({ reading: state.reading, collapsed: [...new Set(state.collapsed)].sort() }));
	} catch {
		// storage full or disabled: the layout is not remembered, the page works on
	}
}

function browserStore(): KeyValueStore | undefined {
	try {
		return typeof localStorage === 'undefined' ? undefined : localStorage;
	} catch {
		return undefined;
	}
}

/** The page's reactive view of one notebook's layout, written through to storage on each change. */
export class NotebookViewState {
	reading = $state(false);
	collapsed = $state<string[]>([]);

	constructor(
		readonly name: string,
		private readonly store: KeyValueStore | undefined = browserStore()
	) {
		const saved = readViewState(store, name);
		this.reading = saved.reading;
		this.collapsed = saved.collapsed;
	}

	isCollapsed(key: string): boolean {
		return this.collapsed.includes(key);
	}

	setReading(on: boolean): void {
		this.reading = on;
		this.save();
	}

	toggle(key: string): void {
		this.collapsed = this.isCollapsed(key) ? this.collapsed.filter((k) => k !== key) : [...this.collapsed, key];
		this.save();
	}

	private save(): void {
		writeViewState(this.store, this.name, { reading: this.reading, collapsed: this.collapsed });
	}
}
