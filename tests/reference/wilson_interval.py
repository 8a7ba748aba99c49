"""Reference values for tests/unit/core/stats/wilson.test.ts: the Wilson score interval of a
binomial proportion at 95% (scipy.stats.binomtest(...).proportion_ci(method='wilson')).

Run: python3 tests/reference/wilson_interval.py
"""
from scipy import stats

for k, n in [(0, 5), (5, 5), (2, 5), (1, 1), (37, 120)]:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    print(k, n, repr(ci.low), repr(ci.high))
