// An endpoint served by several replicas (`replicas` instead of `baseURL`), model `test-model`,
// as every replica test sets one up; and the URL of a replica that is down (nothing listens).
import { parseEngineConfig, type EngineConfig } from '../../src/lib/engine/config.ts';
import { freePort } from './free-port.ts';

export interface ReplicaOptions {
	concurrency?: number;
	timeoutMs?: number;
	maxAttempts?: number;
	apiKey?: string;
}

/** The text of a config whose endpoint `name` is served by `replicas` (timeout 2 s, 3 attempts unless given). */
export function replicaConfigText(name: string, replicas: string[], o: ReplicaOptions = {}): string {
	const { concurrency, apiKey, timeoutMs = 2000, maxAttempts = 3 } = o;
	const endpoint = { replicas, ...(apiKey ? { apiKey } : {}), ...(concurrency ? { concurrency } : {}), timeoutMs, maxAttempts, models: { 'test-model': {} } };
	return JSON.stringify({ endpoints: { [name]: endpoint } }, null, 2);
}

/** The same config, parsed (as if read from `file`). */
export function replicaConfig(name: string, replicas: string[], o: ReplicaOptions = {}, file = 'replicas.covw.config.json'): EngineConfig {
	return parseEngineConfig(replicaConfigText(name, replicas, o), file, {});
}

/** A replica URL on a loopback port nothing listens on. */
export async function downReplica(): Promise<string> {
	return `http://127.0.0.1:${await freePort()}/v1`;
}
