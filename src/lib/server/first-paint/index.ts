// The server's one FirstPaint (first-paint.ts), on the app's notebook store, data folder and
// run tables; the recordings are made in a child process (first-paint-process.ts).
import { dataDir, runsDir } from '../../node/paths.ts';
import { RUN_TABLE_NAMES } from '../../runs/run-tables.ts';
import { dataFolder, notebookStore, runTables } from '../app-objects.ts';
import { FirstPaint } from './first-paint.ts';
import { dataTableBytes, withNoLabelsTable } from '../labels/empty-labels.ts';
import { ChildRecorder } from './first-paint-process.ts';

export { FirstPaint, FIRST_PAINT_LIMITS, type Recording, type FirstPaintSources } from './first-paint.ts';

let instance: FirstPaint | null = null;
const recorder = new ChildRecorder();

export function firstPaint(): FirstPaint {
	instance ??= new FirstPaint(
		{
			notebook: (name) => notebookStore().read(name),
			// As the tables API lists and serves them (the page compares the names in order).
			dataTables: async () => withNoLabelsTable(await dataFolder().scan()),
			dataBytes: (name) => dataTableBytes(dataFolder(), name),
			runTableNames: RUN_TABLE_NAMES,
			runTablesStatus: () => runTables().status()
		},
		(request) => recorder.record({ ...request, dataRoot: dataDir(), runsDir: runsDir() })
	);
	return instance;
}
