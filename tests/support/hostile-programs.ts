// A hostile program for the rule judge (our own code, never run): one long C function of the
// statement kinds the C families look at, as bench/rules-hostile.ts's c.long-fn shape makes it.
// At 8,000 lines the tree rules take seconds on it (bench/rules-hostile.ts --limit, which builds its C
// shapes from the statements here).
export const C_PARAMS = 'const unsigned char *buf, int len, struct hdr *h, char *p, char *end, int *a, int n, int k, char *path, int argc, char **argv';
export const C_HEAD = 'struct hdr { int len; int f0; char *data; struct hdr *next; };\n#include <stdlib.h>\n#include <string.h>\n';
export const C_MIX = [
	(i: number) => `  int v${i} = h->f0 + ${i};`,
	(i: number) => `  if (v${i - 1} < len) buf2[v${i - 1}] = buf[k];`,
	(i: number) => `  char *m${i} = malloc(n * ${i});`,
	(i: number) => `  memcpy(m${i - 1}, buf + k, h->len);`,
	(i: number) => `  if (p + ${i} > end) return -1; k += *p++;`,
	(i: number) => `  free(m${i - 3}); a[k] = m${i - 3}[0];`,
	(i: number) => `  fgets(line, sizeof line, stdin); n = atoi(line) + ${i};`,
	(i: number) => `  if (!h->next) h = h->next; printf("%s %d\\n", path, h->len);`
];

/** c.long-fn at `lines` statements. */
export function hostileC(lines: number): string {
	const body = ['  char buf2[64]; char line[64];', ...Array.from({ length: lines }, (_, i) => C_MIX[i % C_MIX.length](i + 8))];
	return C_HEAD + [`int hostile(${C_PARAMS})`, '{', ...body, '  return 0;', '}', ''].join('\n');
}
