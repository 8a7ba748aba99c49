// A table or column name as it must be written in SQL: bare when DuckDB takes it bare,
// double-quoted otherwise (capitals, spaces, reserved words such as "group").

// Words DuckDB will not take as a bare name (those benchmark and result tables are likely to use).
const RESERVED = new Set(
	('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default deferrable ' +
		'desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading ' +
		'limit not null offset on only or order placing primary references returning select some symmetric table then to trailing ' +
		'true union unique using variadic when where window with').split(' ')
);

export function sqlName(name: string): string {
	return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replaceAll('"', '""')}"`;
}
