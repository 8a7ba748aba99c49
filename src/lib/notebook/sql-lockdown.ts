// What every SQL engine runs before it reads a notebook: DuckDB may touch no file and no URL
// (read_text, read_csv('http://…'), glob, COPY … TO, ATTACH, extension loading), and the setting
// is locked so a cell cannot turn it back on. Tables still arrive — as Arrow bytes the app hands
// over (insertArrowFromIPCStream), which is not external access. Shared by the browser engine
// and the headless one so both refuse the same things.

export const LOCKDOWN_STATEMENTS: readonly string[] = [
	'SET enable_external_access = false',
	'SET lock_configuration = true'
];

/** Runs the lockdown on a connection; `run` executes one statement. */
export async function lockDown(run: (sql: string) => unknown): Promise<void> {
	for (const statement of LOCKDOWN_STATEMENTS) await run(statement);
}
