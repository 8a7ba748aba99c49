# Reference values for tests/unit/notebook/stats-cell.test.ts (scipy).
# Columns a, b, c with a missing value (None) in row 4 of c; pairs drop rows with a missing value.
from scipy import stats
a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
b = [2.0, 1.0, 4.0, 3.0, 7.0, 5.0, 6.0]
c = [10.0, 30.0, 20.0, None, 50.0, 40.0, 40.0]
def pair(x, y):
    keep = [(p, q) for p, q in zip(x, y) if p is not None and q is not None]
    return [p for p, _ in keep], [q for _, q in keep]
for name, (x, y) in {'a,b': (a, b), 'a,c': pair(a, c), 'b,c': pair(b, c)}.items():
    print(name, 'n', len(x),
          'spearman', repr(stats.spearmanr(x, y).statistic),
          'kendall', repr(stats.kendalltau(x, y).statistic),  # tau-b
          'pearson', repr(stats.pearsonr(x, y).statistic))
