// The EARLIER regex version of tools/c-declarations.ts, kept as the "before" baseline of
// bench/c-compile-share.ts (no tool uses it any more). Made a C function cut out of a real project compile on its own, for the path analyzers
// (gcc -fanalyzer, clang --analyze), which analyse nothing in a file that does not compile.
// From the text alone it declares what the function uses but does not define:
// - unknown type names: a pointer-only type becomes an opaque-ish struct with every field the
//   code reads, a type used by value becomes `long`;
// - struct tags (`struct foo *p`) get the same field list;
// - ALL-CAPS identifiers that are not defined become enum constants (they are macros upstream).
// Fields that are dereferenced, indexed or followed by -> are pointers to the same catch-all
// struct; the others are `long`. A `#line 1` after the stubs keeps every reported line the
// line of the judged code. Code with its own #include lines is a whole program and is left
// as written. This is a heuristic: what still does not compile stays an error.

const KEYWORDS = new Set(
	('auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool bool ' +
		'size_t ssize_t off_t time_t pid_t uid_t gid_t mode_t FILE int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t intptr_t uintptr_t ptrdiff_t wchar_t va_list ' +
		'u8 u16 u32 u64 s8 s16 s32 s64 __u8 __u16 __u32 __u64 __s32 __s64 __le16 __le32 __be16 __be32 uchar BOOL gboolean gint guint gchar gsize guint8 guint32 TRUE FALSE NULL ' +
		'EOF EINVAL ENOMEM ENOENT EIO EFAULT EPERM EAGAIN EEXIST ENOSPC ERANGE EBADF ENOTSUP EOVERFLOW SIZE_MAX INT_MAX INT_MIN UINT_MAX LONG_MAX ULONG_MAX CHAR_BIT PATH_MAX BUFSIZ SEEK_SET SEEK_CUR SEEK_END O_RDONLY O_WRONLY O_RDWR O_CREAT O_TRUNC O_APPEND')
		.split(' ')
);

/** Words the code defines itself (typedefs, #defines, enum members, struct tags with a body). */
function definedNames(code: string): Set<string> {
	const out = new Set<string>();
	for (const m of code.matchAll(/#\s*define\s+(\w+)/g)) out.add(m[1]);
	for (const m of code.matchAll(/typedef[^;]*?(\w+)\s*;/g)) out.add(m[1]);
	for (const m of code.matchAll(/enum\s*\w*\s*\{([^}]*)\}/g)) for (const e of m[1].matchAll(/(\w+)\s*(?:=[^,}]*)?(?:,|$)/g)) out.add(e[1]);
	return out;
}

export function cStubs(code: string): string {
	// A whole program (it includes its headers) is analysed as written; only fragments get stubs.
	if (/^\s*#\s*include\b/m.test(code)) return code;
	const stripped = code.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ').replace(/"(?:\\.|[^"\\])*"/g, '""').replace(/'(?:\\.|[^'\\])*'/g, "' '");
	const defined = definedNames(stripped);
	const fields = new Map<string, 'pointer' | 'value'>();
	for (const m of stripped.matchAll(/(?:->|\.)\s*([A-Za-z_]\w*)(\s*(?:->|\[|\.|\())?/g)) {
		if (/^\d/.test(m[1])) continue;
		const next = (m[2] ?? '').trim();
		if (next === '->' || next === '[') fields.set(m[1], 'pointer');
		else if (!fields.has(m[1])) fields.set(m[1], 'value');
	}
	// a field handed to * (unary) or compared with NULL is a pointer too
	for (const m of stripped.matchAll(/\*\s*\(?\s*\w+\s*(?:->|\.)\s*(\w+)/g)) fields.set(m[1], 'pointer');
	const types = new Map<string, 'pointer' | 'value'>();
	const typeUse = /(?:^|[(,;{}]|\bconst\b|\bstatic\b)\s*(?:const\s+)?([A-Za-z_]\w*)\s*(\*+)?\s*(?:const\s+)?[A-Za-z_]\w*\s*(?=[;,)=[])/gm;
	for (const m of stripped.matchAll(typeUse)) {
		const name = m[1];
		if (KEYWORDS.has(name) || defined.has(name) || /^(return|else|goto|case|sizeof|struct|union|enum)$/.test(name)) continue;
		if (m[2]) {
			if (!types.has(name)) types.set(name, 'pointer');
		} else types.set(name, 'value');
	}
	// casts and return types: (Foo *) x, static Foo *make(...)
	for (const m of stripped.matchAll(/\(\s*(?:const\s+)?([A-Za-z_]\w*)\s*\*+\s*\)/g)) if (!KEYWORDS.has(m[1]) && !defined.has(m[1]) && !types.has(m[1])) types.set(m[1], 'pointer');
	for (const m of stripped.matchAll(/^\s*(?:static\s+|inline\s+|extern\s+)*(?:const\s+)?([A-Za-z_]\w*)\s*(\*+)?\s*[A-Za-z_]\w*\s*\(/gm)) {
		if (KEYWORDS.has(m[1]) || defined.has(m[1]) || /^(return|else|if|while|for|switch|sizeof|struct|union|enum|case|goto)$/.test(m[1])) continue;
		if (!types.has(m[1])) types.set(m[1], m[2] ? 'pointer' : 'value');
	}
	// annotations that expand to nothing upstream (kernel, glib): __init, __user, G_GNUC_UNUSED
	const empties = new Set<string>();
	for (const m of stripped.matchAll(/\b(__\w+|G_GNUC_\w+|_U_|UNUSED)\b(?!\s*\()/g)) if (!KEYWORDS.has(m[1]) && !defined.has(m[1]) && !/^__(u|s|le|be)\d+$/.test(m[1]) && !/^__(func|FUNCTION|LINE|FILE)__$/.test(m[1])) empties.add(m[1]);
	const tags = new Set<string>();
	for (const m of stripped.matchAll(/\b(?:struct|union)\s+([A-Za-z_]\w*)\s*(?!\s*\{)/g)) tags.add(m[1]);
	for (const m of stripped.matchAll(/\b(?:struct|union)\s+([A-Za-z_]\w*)\s*\{/g)) tags.delete(m[1]);
	const constants = new Set<string>();
	for (const m of stripped.matchAll(/\b([A-Z][A-Z0-9_]{2,})\b(?!\s*\()/g)) if (!KEYWORDS.has(m[1]) && !defined.has(m[1]) && !types.has(m[1]) && !empties.has(m[1])) constants.add(m[1]);
	// CamelCase constants (MagickFalse, MaxTextExtent): used as values, never declared here
	for (const m of stripped.matchAll(/(?<![\w.>]|struct\s|union\s)\b([A-Z][a-z]+[A-Z]\w*)\b(?!\s*[(*\w])/g)) if (!KEYWORDS.has(m[1]) && !defined.has(m[1]) && !types.has(m[1]) && !new RegExp(`\\b${m[1]}\\s*=`).test(stripped)) constants.add(m[1]);
	const fieldList = [...fields].map(([name, kind]) => (kind === 'pointer' ? `struct covw_any *${name};` : `long ${name};`)).join(' ');
	const lines = [...[...empties].map((e) => `#define ${e}`), `struct covw_any { long covw_pad; ${fieldList} };`];
	for (const tag of tags) lines.push(`struct ${tag} { long covw_pad; ${fieldList} };`);
	for (const [name, kind] of types) lines.push(kind === 'pointer' ? `typedef struct covw_any ${name};` : `typedef long ${name};`);
	if (constants.size) lines.push(`enum { ${[...constants].map((c) => `${c} = 1`).join(', ')} };`);
	return `${lines.join('\n')}\n#line 1\n${code}`;
}
