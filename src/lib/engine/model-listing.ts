// Is the model of a run served by its endpoint? A config file lists every endpoint's models
// (config.ts resolveModel refuses any other name), but the endpoint made from OPENAI_BASE_URL
// alone lists none and takes any name: a misspelt model then started a run whose every request
// failed. Before such a run sends anything, the endpoint is asked which models it serves
// (GET {baseURL}/models: OpenAI, vLLM, Ollama, LiteLLM and the project's test double answer it);
// a model missing from its answer refuses the run with a ConfigError naming the model, the
// endpoint and where the config came from. An endpoint that cannot list (no such route, no
// network, a refused key) or lists nothing (a proxy with wildcard routes) is not a refusal: the
// run goes on and its own errors say what failed. Ollama lists "llama3:latest" and serves it as
// "llama3" too: a name without a tag matches its ":latest".
import { clientFor } from './chat-client.ts';
import { ConfigError, type EngineConfig, type Endpoint } from './config.ts';
import { publicUrl } from './redact.ts';

/** How long the listing may take before the run goes on without it. */
export const MODEL_LISTING_TIMEOUT_MS = 10_000;

/** The endpoint's model ids, or null when it could not say (any failure, or not a list). */
export async function listServedModels(endpoint: Endpoint, timeoutMs = MODEL_LISTING_TIMEOUT_MS): Promise<string[] | null> {
	// No key (or no endpoint named): the run's own check refuses it; nothing is asked here.
	endpoint.requireApiKey();
	try {
		const page = await clientFor(endpoint).models.list({ timeout: Math.min(timeoutMs, endpoint.timeoutMs), maxRetries: 0 });
		const data = (page as { data?: unknown }).data;
		if (!Array.isArray(data)) return null;
		const ids = data.map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined)).filter((id): id is string => typeof id === 'string');
		return ids.length === data.length ? ids : null;
	} catch {
		return null;
	}
}

/**
 * Refuses (ConfigError) a run whose model an endpoint without a model list does not serve.
 * `uses` are the run's (endpoint name, model) pairs; endpoints with a model list are skipped
 * (resolveModel checked those against the config already).
 */
export async function checkModelsServed(config: EngineConfig, uses: Iterable<{ endpoint: string; model: string }>, timeoutMs?: number): Promise<void> {
	const wanted = new Map<string, Set<string>>();
	for (const { endpoint, model } of uses) {
		if (config.endpoints.get(endpoint)?.models !== null) continue;
		if (!wanted.has(endpoint)) wanted.set(endpoint, new Set());
		wanted.get(endpoint)!.add(model);
	}
	for (const [name, models] of wanted) {
		const endpoint = config.endpoints.get(name)!;
		const served = await listServedModels(endpoint, timeoutMs);
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
