import { api, type NotebookSummary } from './api.ts';

class NotebookList {
	items = $state<NotebookSummary[]>([]);
	error = $state('');

	async refresh(): Promise<void> {
		try {
			this.items = await api.listNotebooks();
			this.error = '';
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
		}
	}
}

export const notebookList = new NotebookList();
