// DuckDB result values (as apache-arrow 17 hands them out) → plain JSON values, so the headless
// run's output can be read by any script without knowing Arrow. Decisions, each because JSON
// cannot hold the value as-is:
// - 64-bit integers (BigInt): a number when it is a safe integer, else its decimal string.
// - DECIMAL (and HUGEINT, which DuckDB sends as DECIMAL(38,0)): a number when the unscaled
//   integer is safe (the nearest double, like any float column), else an exact decimal string.
// - NaN and ±Infinity: the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers,
//   and null would claim the value was missing).
// - DATE → "YYYY-MM-DD"; TIMESTAMP → ISO 8601 without zone ("2024-01-02T03:04:05.123"), with a
//   trailing "Z" for TIMESTAMPTZ (Arrow hands both out as milliseconds: microseconds are lost);
//   TIME → "HH:MM:SS[.ffffff]".
// - BLOB → DuckDB's own text form ("\x00abc"); lists → arrays; structs and maps → objects.
// - INTERVAL: apache-arrow 17 misreads DuckDB's month-day-nano intervals, so rather than print a
//   wrong number we print a marker string telling the user to CAST the column to VARCHAR.

/** The structural bit of an apache-arrow DataType this module reads. */
export interface ArrowTypeLike {
	typeId: number;
	scale?: number;
	unit?: number;
	timezone?: string | null;
	children?: { name: string; type: ArrowTypeLike }[];
	dictionary?: ArrowTypeLike;
	toString(): string;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// apache-arrow's Type enum (stable across versions).
const TYPE = {
	Dictionary: -1,
	Int: 2,
	Float: 3,
	Binary: 4,
	Decimal: 7,
	Date: 8,
	Time: 9,
	Timestamp: 10,
	Interval: 11,
	List: 12,
	Struct: 13,
	FixedSizeList: 16,
	Map: 17,
	Duration: 18,
	LargeBinary: 19
} as const;

// TimeUnit: SECOND 0, MILLISECOND 1, MICROSECOND 2, NANOSECOND 3.
const UNITS_PER_SECOND = [1n, 1_000n, 1_000_000n, 1_000_000_000n];

export const INTERVAL_MARKER = '<interval: CAST it to VARCHAR to see it>';

export function bigintToJson(value: bigint): number | string {
	return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

function numberToJson(value: number): number | string {
	return Number.isFinite(value) ? value : String(value); // "NaN", "Infinity", "-Infinity"
}

/** An unscaled decimal integer with `scale` digits after the point. */
export function decimalToJson(unscaled: bigint, scale: number): number | string {
	const safe = unscaled >= BigInt(Number.MIN_SAFE_INTEGER) && unscaled <= BigInt(Number.MAX_SAFE_INTEGER);
	// Both operands are exact doubles (10^scale is exact up to 10^22), so the quotient is the
	// double nearest to the decimal value.
	if (safe && scale <= 22) return Number(unscaled) / 10 ** scale;
	if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
	const negative = unscaled < 0n;
	const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
	return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function dateText(ms: number): string {
	const d = new Date(ms);
	const year = d.getUTCFullYear();
	const y = year >= 0 && year <= 9999 ? pad(year, 4) : String(year);
	return `${y}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function timestampText(ms: number, zoned: boolean): string {
	const d = new Date(ms);
	if (Number.isNaN(d.getTime())) return String(ms);
	const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
	const millis = d.getUTCMilliseconds();
	return `${dateText(ms)}T${time}${millis ? `.${pad(millis, 3)}` : ''}${zoned ? 'Z' : ''}`;
}

/** Time of day from a count of `unit`s since midnight. */
function timeText(value: number | bigint, unit: number): string {
	const perSecond = UNITS_PER_SECOND[unit] ?? 1n;
	const total = typeof value === 'bigint' ? value : BigInt(Math.round(value));
	const seconds = total / perSecond;
	const fraction = total % perSecond;
	const hms = `${pad(Number(seconds / 3600n))}:${pad(Number((seconds / 60n) % 60n))}:${pad(Number(seconds % 60n))}`;
	if (fraction === 0n) return hms;
	const digits = String(perSecond).length - 1;
	return `${hms}.${fraction.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

function blobText(bytes: Uint8Array): string {
	let out = '';
	for (const b of bytes) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
	return out;
}

function iterate(value: unknown): unknown[] {
	if (value && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') return [...(value as Iterable<unknown>)];
	return [];
}

/** One cell of a result column as a JSON value, given the column's Arrow type. */
export function toJsonValue(value: unknown, type: ArrowTypeLike): JsonValue {
	if (value === null || value === undefined) return null;
	switch (type.typeId) {
		case TYPE.Dictionary:
			return type.dictionary ? toJsonValue(value, type.dictionary) : fallback(value);
		case TYPE.Decimal:
			return decimalToJson(BigInt(String(value)), type.scale ?? 0);
		case TYPE.Date:
			return typeof value === 'number' ? dateText(value) : fallback(value);
		case TYPE.Timestamp:
			return typeof value === 'number' ? timestampText(value, Boolean(type.timezone)) : fallback(value);
		case TYPE.Time:
			return typeof value === 'number' || typeof value === 'bigint' ? timeText(value, type.unit ?? 0) : fallback(value);
		case TYPE.Interval:
			return INTERVAL_MARKER;
		case TYPE.Binary:
		case TYPE.LargeBinary:
			return value instanceof Uint8Array ? blobText(value) : fallback(value);
		case TYPE.List:
		case TYPE.FixedSizeList: {
			const child = type.children?.[0]?.type;
			return iterate(value).map((v) => (child ? toJsonValue(v, child) : fallback(v)));
		}
		case TYPE.Struct: {
			const out: { [key: string]: JsonValue } = {};
			const record = value as Record<string, unknown>;
			for (const field of type.children ?? []) out[field.name] = toJsonValue(record[field.name], field.type);
			return out;
		}
		case TYPE.Map: {
			// A map's child is a struct of (key, value); keys become object keys as text.
			const valueType = type.children?.[0]?.type.children?.[1]?.type;
			const out: { [key: string]: JsonValue } = {};
			for (const entry of iterate(value)) {
				const [k, v] = entry as [unknown, unknown];
				out[String(k)] = valueType ? toJsonValue(v, valueType) : fallback(v);
			}
			return out;
		}
		default:
			return fallback(value);
	}
}

/** Values whose JSON form does not depend on the column type. */
function fallback(value: unknown): JsonValue {
	if (value === null || value === undefined) return null;
	if (typeof value === 'bigint') return bigintToJson(value);
	if (typeof value === 'number') return numberToJson(value);
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (value instanceof Date) return value.toISOString();
	if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => fallback(v));
	if (typeof value === 'object') {
		const json = (value as { toJSON?: () => unknown }).toJSON?.() ?? value;
		if (Array.isArray(json)) return json.map(fallback);
		if (json && typeof json === 'object') {
			return Object.fromEntries(Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, fallback(v)]));
		}
		return fallback(json);
	}
	return String(value);
}
