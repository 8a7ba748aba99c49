// A notebook's reading mode and folded editors survive a reload: kept per notebook and cell id in
// browser storage (a Map-backed stand-in here), never in the notebook file.
import { describe, expect, it } from 'vitest';
import {
	NotebookViewState,
	cellViewKey,
	readViewState,
	writeViewState,
	type KeyValueStore
} from '../../../src/lib/workbench/notebook-view-state.svelte.ts';

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
	const map = new Map<string, string>();
	return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

describe('notebook view state', () => {
	it('remembers folded cells and reading mode per notebook across a new page (a new state object)', () => {
		const store = memoryStore();
		const first = new NotebookViewState('figure4', store);
		first.toggle('scores');
		first.toggle('heatmap');
		first.setReading(true);
		const reopened = new NotebookViewState('figure4', store);
		expect(reopened.reading).toBe(true);
		expect(reopened.isCollapsed('scores')).toBe(true);
		expect(reopened.isCollapsed('heatmap')).toBe(true);
		expect(reopened.isCollapsed('ranks')).toBe(false);
		// Another notebook has its own layout.
		const other = new NotebookViewState('table2', store);
		expect(other.reading).toBe(false);
		expect(other.isCollapsed('scores')).toBe(false);
	});

	it('unfolding everything and leaving reading mode leaves nothing behind', () => {
		const store = memoryStore();
		const view = new NotebookViewState('nb', store);
		view.toggle('a');
		expect(store.map.size).toBe(1);
		view.toggle('a');
		expect(store.map.size).toBe(0);
	});

	it('reads a damaged or foreign entry as the default instead of failing', () => {
		const store = memoryStore();
		store.setItem('covw.notebook-view.nb', '{not json');
		expect(readViewState(store, 'nb')).toEqual({ reading: false, collapsed: [] });
		store.setItem('covw.notebook-view.nb', JSON.stringify({ reading: 'yes', collapsed: ['a', 3] }));
		expect(readViewState(store, 'nb')).toEqual({ reading: false, collapsed: ['a'] });
		expect(readViewState(undefined, 'nb')).toEqual({ reading: false, collapsed: [] });
	});

	it('works on when storage throws (disabled or full)', () => {
		const broken: KeyValueStore = {
			getItem: () => {
				throw new Error('denied');
			},
			setItem: () => {
				throw new Error('quota');
			},
			removeItem: () => {}
		};
		const view = new NotebookViewState('nb', broken);
		view.toggle('a');
		expect(view.isCollapsed('a')).toBe(true);
		expect(() => writeViewState(broken, 'nb', { reading: true, collapsed: [] })).not.toThrow();
	});

	it('keys a cell by its id, and a cell without one by its position', () => {
		expect(cellViewKey('scores', 3)).toBe('scores');
		expect(cellViewKey(null, 3)).toBe('#3');
	});
});
