// Engine configuration: which OpenAI-compatible endpoints exist, with which keys, limits and
// models. From `covw.config.json` when there is one, else one endpoint named "default" from
// OPENAI_BASE_URL / OPENAI_API_KEY. Keys live only inside `Endpoint` (a private field): they are
// not enumerable, not in JSON.stringify, and every public view of the config omits them.
import { existsSync, readFileSync } from 'node:fs';
import { textLocator } from '../core/text-position.ts';
import { firstSyntaxError, lineOfPath } from './json-source.ts';
import { publicUrl, Redactor } from './redact.ts';
import type { ChatMessage, ChatRequest } from './types.ts';

export const CONFIG_FILE_NAME = 'covw.config.json';
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Model-provider key variables that follow neither pattern of isKeyVariableName. */
export const KNOWN_KEY_VARIABLES: readonly string[] = ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'AZURE_OPENAI_KEY'];

/** The rule for `apiKeyEnv`, as config errors state it. */
export const API_KEY_ENV_RULE =
	`the variable must end in _API_KEY (e.g. OPENAI_API_KEY), or start with COVW_ and end in _KEY (e.g. COVW_LOCAL_KEY), or be one of ${KNOWN_KEY_VARIABLES.join(', ')} ` +
	'(capital letters, digits and "_" only) — so that a config from elsewhere cannot send another secret of yours, ' +
	'such as AWS_SECRET_ACCESS_KEY or GITHUB_TOKEN, to its endpoint as a bearer token';

/**
 * Whether `apiKeyEnv` may name this environment variable: only names made for model keys
 * (API_KEY_ENV_RULE). The key is sent to the config's endpoint, and the config may come
 * from someone else.
 */
export function isKeyVariableName(name: string): boolean {
	if (!/^[A-Z][A-Z0-9_]*$/.test(name)) return false;
	return /.+_API_KEY$/.test(name) || /^COVW_[A-Z0-9_]*_KEY$/.test(name) || KNOWN_KEY_VARIABLES.includes(name);
}

/** Sampling defaults. temperature 0.6 and top_p 0.9 are the paper's (arXiv 2505.10494, as the run issue cites);
 * max_tokens 2048 is ours (the paper does not state one). */
export const PAPER_DEFAULTS: RunDefaults = {
	temperature: 0.6,
	top_p: 0.9,
	max_tokens: 2048,
	system: null,
	samples: 1
};

export interface RunDefaults {
	temperature: number;
	top_p: number;
	max_tokens: number;
	/** System prompt prepended to every request that has none; null = none. */
	system: string | null;
	/** Samples per item. */
	samples: number;
}

/** USD per 1M tokens. */
export interface Prices {
	inputPer1M: number;
	outputPer1M: number;
}

export interface ModelSettings {
	/** Body fields for this model (temperature, top_p, max_tokens, or endpoint-specific ones). */
	params: Record<string, unknown>;
	system?: string | null;
	prices: Prices | null;
}

export interface EndpointSettings {
	name: string;
	baseURL: string;
	/** Starting (and maximum) number of requests in flight; lowered on 429, recovered after. */
	concurrency: number;
	timeoutMs: number;
	maxAttempts: number;
	/** Ask for server-sent events (stream: true) instead of one JSON body. */
	stream: boolean;
	/** The endpoint honours `response_format: {type: 'json_schema'}` (OpenAI, vLLM): judges ask
	 * for a schema-shaped answer instead of relying on the tolerant parser alone. */
	structuredOutput: boolean;
	/** Models by name; null = any model name is accepted (the env-only default endpoint). */
	models: Record<string, ModelSettings> | null;
	/** Base URLs of every server answering for this endpoint (replicas.ts); defaults to [baseURL]. */
	replicas?: string[];
	/** Draining of failing replicas (replicas.ts); the default when omitted. */
	replicaPolicy?: { windowMs: number; failures: number; cooldownMs: number } | null;
	/** The largest answer body read (bytes; default MAX_ANSWER_BYTES): a larger one is an error row, never saved. */
	maxAnswerBytes?: number;
}

/** The largest response body read from an endpoint by default (4 MB; a config's endpoint may set maxAnswerBytes). */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export class Endpoint implements EndpointSettings {
	readonly name: string;
	readonly baseURL: string;
	readonly concurrency: number;
	readonly timeoutMs: number;
	readonly maxAttempts: number;
	readonly stream: boolean;
	readonly structuredOutput: boolean;
	readonly models: Record<string, ModelSettings> | null;
	/** Every server of this endpoint (the first is baseURL: cache keys and the Batch API use it). */
	readonly replicas: string[];
	readonly replicaPolicy: { windowMs: number; failures: number; cooldownMs: number } | null;
	readonly maxAnswerBytes: number;
	readonly #apiKey: string | null;
	/** Why the key is missing (its apiKeyEnv variable is not set), or null. Naming a run needs no
	 * key; only calling the endpoint does, so this is reported then (requireApiKey), not at load. */
	readonly #missingKey: string | null;

	constructor(settings: EndpointSettings, apiKey: string | null, missingKey: string | null = null) {
		this.name = settings.name;
		this.baseURL = settings.baseURL.replace(/\/+$/, '');
		this.concurrency = settings.concurrency;
		this.timeoutMs = settings.timeoutMs;
		this.maxAttempts = settings.maxAttempts;
		this.stream = settings.stream;
		this.structuredOutput = settings.structuredOutput;
		this.models = settings.models;
		this.replicas = (settings.replicas && settings.replicas.length > 0 ? settings.replicas : [settings.baseURL]).map((u) => u.replace(/\/+$/, ''));
		this.replicaPolicy = settings.replicaPolicy ?? null;
		this.maxAnswerBytes = settings.maxAnswerBytes ?? MAX_ANSWER_BYTES;
		this.#apiKey = apiKey;
		this.#missingKey = apiKey === null ? missingKey : null;
	}

	/** Throws the config error of a key the config asks for but the environment lacks. */
	requireApiKey(): void {
		if (this.#missingKey !== null) throw new ConfigError(this.#missingKey);
	}

	/** The key, for the HTTP client only. Never put it in a row, a manifest or an error. */
	secretApiKey(): string | null {
		this.requireApiKey();
		return this.#apiKey;
	}

	/** What may be shown anywhere (manifest, browser): no key, URL without credentials. */
	toJSON() {
		return {
			name: this.name,
			baseURL: publicUrl(this.baseURL),
			concurrency: this.concurrency,
			timeoutMs: this.timeoutMs,
			maxAttempts: this.maxAttempts,
			stream: this.stream,
			structuredOutput: this.structuredOutput,
			hasApiKey: this.#apiKey !== null,
			models: this.models,
			...(this.replicas.length > 1 ? { replicas: this.replicas.map((u) => publicUrl(u)) } : {}),
			...(this.maxAnswerBytes !== MAX_ANSWER_BYTES ? { maxAnswerBytes: this.maxAnswerBytes } : {})
		};
	}
}

export interface EngineConfig {
	/** Where it came from: a file path, or "environment". */
	source: string;
	defaults: RunDefaults;
	endpoints: Map<string, Endpoint>;
	/** Scrubs every configured key (and key-shaped strings) from text. */
	redactor: Redactor;
}

export class ConfigError extends Error {}

const ENDPOINT_DEFAULTS = { concurrency: 8, timeoutMs: 120_000, maxAttempts: 6, stream: false, structuredOutput: false };

/** The longest delay a timer holds (2^31 - 1 ms, about 24.8 days): setTimeout turns a longer one into 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface LoadConfigOptions {
	/** Config file; when omitted, `covw.config.json` in `cwd` if it exists. */
	path?: string;
	cwd?: string;
	env?: Record<string, string | undefined>;
}

export function loadEngineConfig(options: LoadConfigOptions = {}): EngineConfig {
	const env = options.env ?? {};
	const path = options.path ?? joinPath(options.cwd ?? '.', CONFIG_FILE_NAME);
	if (options.path !== undefined || existsSync(path)) {
		let text: string;
		try {
			text = readFileSync(path, 'utf8');
		} catch (e) {
			throw new ConfigError(`${path}: cannot read the engine config (${(e as Error).message})`);
		}
		return parseEngineConfig(text, path, env);
	}
	return configFromEnv(env);
}

/**
 * The config used when there is no file: one endpoint "default" that accepts any model. With
 * neither OPENAI_BASE_URL nor OPENAI_API_KEY set it names OpenAI's API but may not call it (its
 * key is "missing": runs are planned and read, and refused before a request): no request leaves
 * the machine for an endpoint the user did not name (a key alone names OpenAI's).
 */
export function configFromEnv(env: Record<string, string | undefined>): EngineConfig {
	const apiKey = env.OPENAI_API_KEY || null;
	const unnamed = !env.OPENAI_BASE_URL && apiKey === null;
	const endpoint = new Endpoint(
		{ name: 'default', baseURL: env.OPENAI_BASE_URL || DEFAULT_BASE_URL, ...ENDPOINT_DEFAULTS, models: null },
		apiKey,
		unnamed ? NO_ENDPOINT : null
	);
	return {
		source: 'environment',
		defaults: { ...PAPER_DEFAULTS },
		endpoints: new Map([[endpoint.name, endpoint]]),
		redactor: new Redactor([apiKey])
	};
}

/** Why a config with no endpoint cannot run anything, for errors. */
export const NO_ENDPOINT =
	'no endpoint is configured: set OPENAI_BASE_URL (and OPENAI_API_KEY if the endpoint needs one) or write covw.config.json; nothing was sent';

export function parseEngineConfig(
	text: string,
	file: string,
	env: Record<string, string | undefined>
): EngineConfig {
	const raw = parseConfigJson(text, file);
	const fail = (path: (string | number)[], message: string): never => {
		throw new ConfigError(problemAt(text, file, path, message));
	};
	const v = new Validator(fail);
	const root = v.object(raw, []);
	v.onlyKeys(root, [], ['defaults', 'endpoints']);

	const defaults = { ...PAPER_DEFAULTS };
	if (root.defaults !== undefined) {
		const d = v.object(root.defaults, ['defaults']);
		v.onlyKeys(d, ['defaults'], ['temperature', 'top_p', 'max_tokens', 'system', 'samples']);
		if (d.temperature !== undefined) defaults.temperature = v.number(d.temperature, ['defaults', 'temperature'], 0, 2);
		if (d.top_p !== undefined) defaults.top_p = v.number(d.top_p, ['defaults', 'top_p'], 0, 1);
		if (d.max_tokens !== undefined) defaults.max_tokens = v.integer(d.max_tokens, ['defaults', 'max_tokens'], 1);
		if (d.system !== undefined) defaults.system = v.stringOrNull(d.system, ['defaults', 'system']);
		if (d.samples !== undefined) defaults.samples = v.integer(d.samples, ['defaults', 'samples'], 1);
	}

	const endpointsRaw = v.object(root.endpoints, ['endpoints']);
	const names = Object.keys(endpointsRaw);
	if (names.length === 0) fail(['endpoints'], 'name at least one endpoint');
	const endpoints = new Map<string, Endpoint>();
	const keys: string[] = [];
	for (const name of names) {
		const at = ['endpoints', name];
		if (!/^[A-Za-z0-9_.-]+$/.test(name)) fail(at, 'endpoint names use letters, digits, "_", "." and "-" only');
		const e = v.object(endpointsRaw[name], at);
		v.onlyKeys(e, at, ['baseURL', 'replicas', 'apiKey', 'apiKeyEnv', 'concurrency', 'timeoutMs', 'maxAttempts', 'stream', 'structuredOutput', 'models', 'maxAnswerBytes']);
		// Replicas: several servers for one endpoint, given instead of baseURL (replicas.ts).
		let replicas: string[] | undefined;
		if (e.replicas !== undefined) {
			if (e.baseURL !== undefined) fail([...at, 'replicas'], 'give baseURL or replicas, not both');
			if (!Array.isArray(e.replicas) || e.replicas.length === 0) fail([...at, 'replicas'], 'must be a list of at least one http:// or https:// URL');
			replicas = (e.replicas as unknown[]).map((u, i) => {
				const url = v.string(u, [...at, 'replicas', i]);
				if (!/^https?:\/\/[^/]/.test(url)) fail([...at, 'replicas', i], 'must be an http:// or https:// URL');
				return url;
			});
			if (new Set(replicas.map((u) => u.replace(/\/+$/, ''))).size !== replicas.length) fail([...at, 'replicas'], 'lists a URL twice');
		}
		const baseURL = replicas ? replicas[0] : v.string(e.baseURL, [...at, 'baseURL']);
		if (!/^https?:\/\/[^/]/.test(baseURL)) fail([...at, 'baseURL'], 'must be an http:// or https:// URL');
		if (e.apiKey !== undefined && e.apiKeyEnv !== undefined) fail([...at, 'apiKey'], 'give apiKey or apiKeyEnv, not both');
		let apiKey: string | null = null;
		let missingKey: string | null = null;
		if (e.apiKey !== undefined) apiKey = v.string(e.apiKey, [...at, 'apiKey']);
		if (e.apiKeyEnv !== undefined) {
			const envName = v.string(e.apiKeyEnv, [...at, 'apiKeyEnv']);
			// Checked before the variable is read: a config from elsewhere may not name another secret.
			if (!isKeyVariableName(envName)) fail([...at, 'apiKeyEnv'], `${JSON.stringify(envName)} is not accepted: ${API_KEY_ENV_RULE}`);
			apiKey = env[envName] || null;
			// Name the variable, never a value. Reported when a run calls this endpoint
			// (Endpoint.requireApiKey), not here: planning and reading finished runs need no key.
			if (apiKey === null) missingKey = problemAt(text, file, [...at, 'apiKeyEnv'], `environment variable ${envName} is not set`);
		}
		if (apiKey) keys.push(apiKey);
		const models: Record<string, ModelSettings> = {};
		const modelsRaw = v.object(e.models, [...at, 'models']);
		if (Object.keys(modelsRaw).length === 0) fail([...at, 'models'], 'name at least one model');
		for (const [model, settingsRaw] of Object.entries(modelsRaw)) {
			const mat = [...at, 'models', model];
			const m = v.object(settingsRaw, mat);
			v.onlyKeys(m, mat, ['params', 'system', 'prices']);
			const params = m.params === undefined ? {} : v.object(m.params, [...mat, 'params']);
			if ('model' in params || 'messages' in params || 'stream' in params) {
				fail([...mat, 'params'], 'params may not set model, messages or stream');
			}
			if (params.temperature !== undefined) v.number(params.temperature, [...mat, 'params', 'temperature'], 0, 2);
			if (params.top_p !== undefined) v.number(params.top_p, [...mat, 'params', 'top_p'], 0, 1);
			if (params.max_tokens !== undefined) v.integer(params.max_tokens, [...mat, 'params', 'max_tokens'], 1);
			let prices: Prices | null = null;
			if (m.prices !== undefined) {
				const p = v.object(m.prices, [...mat, 'prices']);
				v.onlyKeys(p, [...mat, 'prices'], ['inputPer1M', 'outputPer1M']);
				prices = {
					inputPer1M: v.number(p.inputPer1M, [...mat, 'prices', 'inputPer1M'], 0),
					outputPer1M: v.number(p.outputPer1M, [...mat, 'prices', 'outputPer1M'], 0)
				};
			}
			models[model] = {
				params,
				...(m.system !== undefined ? { system: v.stringOrNull(m.system, [...mat, 'system']) } : {}),
				prices
			};
		}
		endpoints.set(
			name,
			new Endpoint(
				{
					name,
					baseURL,
					// Per replica: the endpoint's limit is the sum over its servers.
					concurrency: (e.concurrency === undefined ? ENDPOINT_DEFAULTS.concurrency : v.integer(e.concurrency, [...at, 'concurrency'], 1, 1024)) * (replicas?.length ?? 1),
					timeoutMs: e.timeoutMs === undefined ? ENDPOINT_DEFAULTS.timeoutMs : v.integer(e.timeoutMs, [...at, 'timeoutMs'], 1, MAX_TIMEOUT_MS),
					maxAttempts: e.maxAttempts === undefined ? ENDPOINT_DEFAULTS.maxAttempts : v.integer(e.maxAttempts, [...at, 'maxAttempts'], 1, 100),
					stream: e.stream === undefined ? ENDPOINT_DEFAULTS.stream : v.boolean(e.stream, [...at, 'stream']),
					structuredOutput:
						e.structuredOutput === undefined ? ENDPOINT_DEFAULTS.structuredOutput : v.boolean(e.structuredOutput, [...at, 'structuredOutput']),
					models,
					replicas,
					...(e.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: v.integer(e.maxAnswerBytes, [...at, 'maxAnswerBytes'], 1024, 1024 * 1024 * 1024) })
				},
				apiKey,
				missingKey
			)
		);
	}
	return { source: file, defaults, endpoints, redactor: new Redactor(keys) };
}

/** "file:line: field.path: message" for a problem at a JSON path of the config. */
function problemAt(text: string, file: string, path: (string | number)[], message: string): string {
	const line = lineOfPath(text, path);
	const field = path.join('.');
	return `${file}${line === null ? '' : `:${line}`}: ${field || '(top level)'}: ${message}`;
}

/**
 * The config file's JSON. A syntax error names file, line and column in our own words: the
 * runtime's message quotes the text around the error, which can be the start of an API key.
 */
function parseConfigJson(text: string, file: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		let offset: number | null = null;
		try {
			offset = firstSyntaxError(text);
		} catch {
			// Nested too deeply for the scanner: say so without a position.
			throw new ConfigError(`${file}: not valid JSON (nested too deeply)`);
		}
		if (offset === null) throw new ConfigError(`${file}: not valid JSON`);
		const { line, column } = textLocator(text)(offset);
		const what = offset >= text.length ? 'the file ends too early' : 'unexpected character here';
		throw new ConfigError(`${file}:${line}:${column}: not valid JSON (${what})`);
	}
}

/** A model picked by name: "endpoint/model", or a model name listed by exactly one endpoint. */
export interface ResolvedModel {
	endpoint: Endpoint;
	model: string;
	settings: ModelSettings;
}

export function resolveModel(config: EngineConfig, spec: string): ResolvedModel {
	const slash = spec.indexOf('/');
	if (slash > 0 && config.endpoints.has(spec.slice(0, slash))) {
		const endpoint = config.endpoints.get(spec.slice(0, slash))!;
		return pick(endpoint, spec.slice(slash + 1), spec);
	}
	const listing = [...config.endpoints.values()].filter((e) => e.models && spec in e.models);
	if (listing.length === 1) return pick(listing[0], spec, spec);
	if (listing.length > 1) {
		throw new ConfigError(
			`model "${spec}" is offered by endpoints ${listing.map((e) => e.name).join(', ')}: write endpoint/model`
		);
	}
	const open = [...config.endpoints.values()].filter((e) => e.models === null);
	if (open.length === 1) return pick(open[0], spec, spec);
	throw new ConfigError(`${config.source}: no endpoint offers model "${spec}"; ${offeredModels(config)}`);
}

/** What the config offers, for errors: "models: a/x, a/y; endpoint b takes any model name". */
export function offeredModels(config: EngineConfig): string {
	const listed = [...config.endpoints.values()].flatMap((e) => (e.models ? Object.keys(e.models).map((m) => `${e.name}/${m}`) : []));
	const open = [...config.endpoints.values()].filter((e) => e.models === null).map((e) => e.name);
	const parts = [listed.length ? `models: ${listed.join(', ')}` : 'no models are listed'];
	if (open.length) parts.push(`${open.length === 1 ? 'endpoint' : 'endpoints'} ${open.join(', ')} ${open.length === 1 ? 'takes' : 'take'} any model name as endpoint/model`);
	return parts.join('; ');
}

function pick(endpoint: Endpoint, model: string, spec: string): ResolvedModel {
	if (endpoint.models === null) return { endpoint, model, settings: { params: {}, prices: null } };
	const settings = endpoint.models[model];
	if (!settings) {
		const has = Object.keys(endpoint.models);
		throw new ConfigError(`endpoint "${endpoint.name}" has no model "${model}" (asked for "${spec}"); it offers ${has.length ? has.join(', ') : 'none'}`);
	}
	return { endpoint, model, settings };
}

/**
 * The request body for one prompt: run defaults, overridden by the model's params, overridden
 * by `overrides`; the system prompt (model's, else the run's) goes first unless the messages
 * already start with one.
 */
export function chatRequestFor(
	config: EngineConfig,
	resolved: ResolvedModel,
	messages: ChatMessage[],
	overrides: Record<string, unknown> = {}
): ChatRequest {
	const system = resolved.settings.system !== undefined ? resolved.settings.system : config.defaults.system;
	const withSystem: ChatMessage[] =
		system && messages[0]?.role !== 'system' ? [{ role: 'system', content: system }, ...messages] : messages;
	return {
		temperature: config.defaults.temperature,
		top_p: config.defaults.top_p,
		max_tokens: config.defaults.max_tokens,
		...resolved.settings.params,
		...overrides,
		model: resolved.model,
		messages: withSystem
	};
}

function joinPath(dir: string, name: string): string {
	return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Type checks that report the JSON path of the offending field. */
class Validator {
	constructor(private fail: (path: (string | number)[], message: string) => never) {}

	object(value: unknown, path: (string | number)[]): Record<string, unknown> {
		if (value === null || typeof value !== 'object' || Array.isArray(value)) {
			return this.fail(path, value === undefined ? 'is required (an object)' : 'must be an object');
		}
		return value as Record<string, unknown>;
	}
	onlyKeys(obj: Record<string, unknown>, path: (string | number)[], allowed: string[]): void {
		for (const key of Object.keys(obj)) {
			if (!allowed.includes(key)) this.fail([...path, key], `unknown field (expected one of ${allowed.join(', ')})`);
		}
	}
	string(value: unknown, path: (string | number)[]): string {
		if (typeof value !== 'string' || value === '') return this.fail(path, value === undefined ? 'is required (a string)' : 'must be a non-empty string');
		return value;
	}
	stringOrNull(value: unknown, path: (string | number)[]): string | null {
		if (value === null) return null;
		if (typeof value !== 'string') return this.fail(path, 'must be a string or null');
		return value;
	}
	boolean(value: unknown, path: (string | number)[]): boolean {
		if (typeof value !== 'boolean') return this.fail(path, 'must be true or false');
		return value;
	}
	number(value: unknown, path: (string | number)[], min = -Infinity, max = Infinity): number {
		if (value === undefined) return this.fail(path, 'is required (a number)');
		if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(path, 'must be a number');
		if (value < min || value > max) return this.fail(path, `must be between ${min} and ${max}`);
		return value;
	}
	integer(value: unknown, path: (string | number)[], min = -Infinity, max = Infinity): number {
		if (value === undefined) return this.fail(path, 'is required (an integer)');
		if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(path, 'must be an integer');
		if (value < min || value > max) return this.fail(path, `must be ${max === Infinity ? `at least ${min}` : `between ${min} and ${max}`}`);
		return value;
	}
}
