"""Reference values for tests/unit/server/labels/aggregate.test.ts.

Fleiss' kappa written out from Fleiss (1971) with numpy, and Cohen's kappa from its
definition, on the hand-made case of the test. The same numbers are worked by hand in the
test's comments (1/22 and 1/3 for Fleiss, -1 for the two-rater group; 1/3 for Cohen). Run: python3 tests/reference/labels_agreement.py
"""
import numpy as np


def fleiss(counts):
    counts = np.asarray(counts, dtype=float)
    n = counts.sum(axis=1)[0]
    p_i = ((counts ** 2).sum(axis=1) - n) / (n * (n - 1))
    p_j = counts.sum(axis=0) / counts.sum()
    pe = (p_j ** 2).sum()
    return (p_i.mean() - pe) / (1 - pe)


def cohen(a, b):
    cats = sorted(set(a) | set(b))
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    pe = sum((a.count(c) / n) * (b.count(c) / n) for c in cats)
    return (po - pe) / (1 - pe)


# Subjects x (vulnerable, other_cwe, not_vulnerable), three raters each.
three = [[3, 0, 0], [2, 0, 1], [0, 1, 2], [1, 1, 1]]
print('fleiss three answers', fleiss(three), 1 / 22)
print('fleiss binary', fleiss([[r[0], r[1] + r[2]] for r in three]), 1 / 3)
# The two-rater group: one subject, ann vulnerable, bo not vulnerable.
print('fleiss two raters', fleiss([[1, 0, 1]]))
# ann vs bo on the five subjects both answered (t1..t5)
ann = ['vulnerable', 'vulnerable', 'not_vulnerable', 'vulnerable', 'vulnerable']
bo = ['vulnerable', 'vulnerable', 'not_vulnerable', 'other_cwe', 'not_vulnerable']
print('cohen ann-bo', cohen(ann, bo))
