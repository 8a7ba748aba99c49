// The routing tables shipped with the workbench, by name (`ensemble:route:<name>`). Each is a
// generated data module saying where it was learnt (route.ts RouteTable.learntOn / command).
import type { RouteTable } from './route.ts';
import { ROUTES_SVEN_DEV_A } from './route-table-sven-dev-a.ts';

const TABLES: RouteTable[] = [ROUTES_SVEN_DEV_A];

/** Every routing table, in list order. */
export const ROUTE_TABLES: readonly RouteTable[] = TABLES;

export function findRouteTable(name: string): RouteTable | null {
	return TABLES.find((t) => t.name === name) ?? null;
}

/** Adds a table (tests: a small one of their own); returns a function that removes it again. */
export function registerRouteTable(table: RouteTable): () => void {
	if (findRouteTable(table.name)) throw new Error(`a routing table named "${table.name}" is already registered`);
	TABLES.push(table);
	return () => {
		const at = TABLES.indexOf(table);
		if (at >= 0) TABLES.splice(at, 1);
	};
}
