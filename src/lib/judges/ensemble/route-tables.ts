// The routing tables shipped with the workbench, by name (`ensemble:route:<name>`). Each is a
// generated data module saying where it was learnt (route.ts RouteTable.learntOn / command).
import type { RouteTable } from './route.ts';
import { ROUTES_SVEN_DEV_A } from './route-table-sven-dev-a.ts';

export const ROUTE_TABLES: readonly RouteTable[] = [ROUTES_SVEN_DEV_A];

export function findRouteTable(name: string): RouteTable | null {
	return ROUTE_TABLES.find((t) => t.name === name) ?? null;
}
