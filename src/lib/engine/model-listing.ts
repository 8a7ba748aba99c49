// Is the model of a run served by its endpoint? A config file lists every endpoint's models
// (config.ts resolveModel refuses any other name), but the endpoint made from OPENAI_BASE_URL
// alone lists none and takes any name: a misspelt model then started a run whose every request
// failed. Before such a run sends anything, the endpoint is asked which models it serves
// (GET {baseURL}/models: OpenAI, vLLM, Ollama, LiteLLM and the project's test double answer it);
// a model missing from its answer refuses the run with a ConfigError naming the model, the
// endpoint and where the config came from. An endpoint that answers but cannot list (an HTTP
// 404/405 for the route, a refused key) or lists nothing (a proxy with wildcard routes) is not a
// refusal: the run goes on and its own errors say what failed. An endpoint that does not answer
// at all (connection refused, DNS, timeout) IS: a run there could only retry every unit into an
// error row, so it is refused (EndpointUnreachableError) before its folder is made. With
// replicas, one that answers is enough. Ollama lists "llama3:latest" and serves it as "llama3"
// too: a name without a tag matches its ":latest". An endpoint named in covw.config.json declares
// its models (the list is not compared), but is asked the same GET /models, as a probe only: an
// HTTP answer of any status is an answer, no answer at all refuses the run the same way (a config
// endpoint whose only server is down otherwise retried every unit into an error row).
import { APIConnectionError } from 'openai';
import { clientFor } from './chat-client.ts';
import { ConfigError, type EngineConfig, type Endpoint } from './config.ts';
import { classifyFailure } from './failure.ts';
import { publicUrl } from './redact.ts';

/** The endpoint of a run did not answer the model check at all (refused, DNS, timeout): the run is not started. */
export class EndpointUnreachableError extends ConfigError {}

/** What one server said to GET /models: its ids, "cannot list" (answered, no usable list), or no answer at all. */
export type ListingAnswer = { kind: 'listed'; ids: string[] } | { kind: 'cannot-list'; why: string } | { kind: 'unreachable'; why: string };

/** Asks one server of the endpoint (baseURL unless a replica is named) which models it serves. */
export async function askServedModels(endpoint: Endpoint, baseURL: string = endpoint.baseURL, timeoutMs = MODEL_LISTING_TIMEOUT_MS): Promise<ListingAnswer> {
	const timeout = Math.min(timeoutMs, endpoint.timeoutMs);
	try {
		const page = await clientFor(endpoint, baseURL).models.list({ timeout, maxRetries: 0 });
		const data = (page as { data?: unknown }).data;
		if (!Array.isArray(data)) return { kind: 'cannot-list', why: 'the answer is not a list' };
		const ids = data.map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined)).filter((id): id is string => typeof id === 'string');
		return ids.length === data.length ? { kind: 'listed', ids } : { kind: 'cannot-list', why: 'the list has entries without an id' };
	} catch (e) {
		// APIConnectionTimeoutError is an APIConnectionError too: refused, reset, DNS, timeout.
		const why = classifyFailure(e, null, timeout).message;
		if (e instanceof APIConnectionError) return { kind: 'unreachable', why: /timed? ?out/i.test(why) ? `no answer within ${timeout} ms (${why})` : why };
		return { kind: 'cannot-list', why };
	}
}

/** How long the listing may take before the run goes on without it. */
export const MODEL_LISTING_TIMEOUT_MS = 10_000;

/** The endpoint's model ids, or null when it could not say (any failure, or not a list). */
export async function listServedModels(endpoint: Endpoint, timeoutMs = MODEL_LISTING_TIMEOUT_MS): Promise<string[] | null> {
	// No key (or no endpoint named): the run's own check refuses it; nothing is asked here.
	endpoint.requireApiKey();
	const answer = await askServedModels(endpoint, endpoint.baseURL, timeoutMs);
	return answer.kind === 'listed' ? answer.ids : null;
}

/** The first replica's answer that is not "unreachable"; when none answers, throws EndpointUnreachableError. */
async function listOrRefuse(config: EngineConfig, endpoint: Endpoint, timeoutMs: number | undefined): Promise<string[] | null> {
	endpoint.requireApiKey();
	const failed: string[] = [];
	for (const url of endpoint.replicas) {
		const answer = await askServedModels(endpoint, url, timeoutMs);
		if (answer.kind === 'listed') return answer.ids;
		if (answer.kind === 'cannot-list') return null;
		failed.push(`${publicUrl(url)}: ${config.redactor.text(answer.why)}`);
	}
	const from = config.source === 'environment' ? 'OPENAI_BASE_URL (no covw.config.json)' : config.source;
	throw new EndpointUnreachableError(
		`endpoint "${endpoint.name}" does not answer (${from}): GET /models failed — ${failed.join('; ')}. ` +
			'Nothing was sent and no run folder was made: start the server, or fix the endpoint\'s URL, then run the same command again.'
	);
}

/**
 * Refuses (ConfigError) a run whose model an endpoint without a model list does not serve, and
 * (EndpointUnreachableError) a run on any endpoint that does not answer at all. `uses` are the
 * run's (endpoint name, model) pairs. Each endpoint is asked once; the models of an endpoint with
 * a model list are not compared (resolveModel checked those against the config already).
 */
export async function checkModelsServed(config: EngineConfig, uses: Iterable<{ endpoint: string; model: string }>, timeoutMs?: number): Promise<void> {
	const wanted = new Map<string, Set<string>>();
	for (const { endpoint, model } of uses) {
		if (!config.endpoints.has(endpoint)) continue;
		if (!wanted.has(endpoint)) wanted.set(endpoint, new Set());
		wanted.get(endpoint)!.add(model);
	}
	for (const [name, models] of wanted) {
		const endpoint = config.endpoints.get(name)!;
		const served = await listOrRefuse(config, endpoint, timeoutMs);
		// A config endpoint declares its models: its answer only showed that it is there.
		if (endpoint.models !== null) continue;
		if (served === null || served.length === 0) continue;
		const missing = [...models].filter((m) => !served.includes(m) && !(m.indexOf(':') < 0 && served.includes(`${m}:latest`)));
		if (missing.length === 0) continue;
		const where = config.source === 'environment' ? `${publicUrl(endpoint.baseURL)}, from OPENAI_BASE_URL; no covw.config.json` : `${publicUrl(endpoint.baseURL)}, from ${config.source}`;
		const offered = served.length > 0 ? `it serves ${served.slice(0, 20).join(', ')}${served.length > 20 ? ` and ${served.length - 20} more` : ''}` : 'it serves no model';
		throw new ConfigError(
			`model ${missing.map((m) => `"${m}"`).join(', ')} is not served by endpoint "${name}" (${where}): ${offered}. ` +
				'Use one of those, or list the endpoint and its models in covw.config.json (see covw.config.example.json).'
		);
	}
}
