"""Reference values for tests/unit/core/stats and tests/unit/core/metrics.

Run: python3 tests/reference/stats_reference.py
Correlations come from scipy.stats (pearsonr, spearmanr, kendalltau = tau-b).
Weighted F1 and Cohen's kappa are written out here from their textbook / scikit-learn
definitions with numpy only (scikit-learn is not installed on these machines).
All data below are made up for the tests, except the Table 1 columns, which are the
paper's published figures (datasets/paper/table1_main_results.csv).
"""
import csv
import os

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))


def corr(name, x, y):
    print(name)
    print("  pearson ", repr(stats.pearsonr(x, y)[0]))
    print("  spearman", repr(stats.spearmanr(x, y)[0]))
    print("  kendall ", repr(stats.kendalltau(x, y)[0]))  # variant='b' is the default


corr("digits (ties in y)", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [3, 1, 4, 1, 5, 9, 2, 6, 5, 3])
corr("ties in both", [1, 2, 2, 3, 3, 3, 4, 5, 5, 6], [2, 1, 2, 3, 5, 3, 4, 4, 6, 6])
corr("negative, floats", [0.5, 1.25, -2.0, 3.5, 0.0, 7.75, 2.5], [10.0, 9.5, 12.25, 4.0, 11.0, -1.5, 9.5])

rows = list(csv.DictReader(open(os.path.join(HERE, "..", "..", "datasets", "paper", "table1_main_results.csv"))))
cc = [float(r["cc_total_sr1"]) for r in rows]
rep = [float(r["repair_sr1"]) for r in rows]
cls = [float(r["classification_f1"]) for r in rows]
corr("table1 cc_total_sr1 vs repair_sr1", cc, rep)
corr("table1 cc_total_sr1 vs classification_f1", cc, cls)


def weighted_f1(truth, pred):
    """sklearn f1_score(average='weighted', zero_division=0), from its definition."""
    truth = np.asarray(truth)
    pred = np.asarray(pred)
    labels = np.unique(np.concatenate([truth, pred]))
    total = 0.0
    for lab in labels:
        tp = np.sum((truth == lab) & (pred == lab))
        fp = np.sum((truth != lab) & (pred == lab))
        fn = np.sum((truth == lab) & (pred != lab))
        support = np.sum(truth == lab)
        p = tp / (tp + fp) if tp + fp > 0 else 0.0
        r = tp / (tp + fn) if tp + fn > 0 else 0.0
        f = 2 * p * r / (p + r) if p + r > 0 else 0.0
        total += f * support
    return total / len(truth)


def cohen_kappa(a, b):
    """Unweighted Cohen's kappa via the confusion matrix, as sklearn computes it."""
    a = np.asarray(a)
    b = np.asarray(b)
    labels = np.unique(np.concatenate([a, b]))
    k = len(labels)
    m = np.zeros((k, k))
    for x, y in zip(a, b):
        m[np.searchsorted(labels, x), np.searchsorted(labels, y)] += 1
    n = m.sum()
    expected = np.outer(m.sum(axis=1), m.sum(axis=0)) / n
    w = 1 - np.eye(k)
    return 1 - np.sum(w * m) / np.sum(w * expected)


# A made-up 6-class classification with a label that only appears in predictions ("X").
truth = ["A", "A", "A", "B", "B", "C", "C", "C", "C", "D", "E", "E", "A", "B", "C", "D"]
pred = ["A", "B", "A", "B", "X", "C", "A", "C", "C", "D", "D", "E", "A", "B", "E", "E"]
print("weighted_f1 6-class", repr(weighted_f1(truth, pred)))
print("accuracy 6-class", repr(np.mean(np.asarray(truth) == np.asarray(pred))))
print("cohen_kappa 6-class", repr(cohen_kappa(truth, pred)))

judge = [1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1]
human = [1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1]
print("cohen_kappa binary", repr(cohen_kappa(judge, human)))


def fleiss(counts):
    counts = np.asarray(counts, dtype=float)
    n_sub, _ = counts.shape
    raters = counts[0].sum()
    p_j = counts.sum(axis=0) / (n_sub * raters)
    p_i = (np.sum(counts ** 2, axis=1) - raters) / (raters * (raters - 1))
    pbar = p_i.mean()
    pe = np.sum(p_j ** 2)
    return (pbar - pe) / (1 - pe)


# The worked example of the Wikipedia article "Fleiss' kappa" (10 subjects, 14 raters, 5 categories).
wiki = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]
print("fleiss wikipedia", repr(fleiss(wiki)))


def mulberry32(seed, count):
    """A straight port of mulberry32 with explicit 32-bit wrap-around."""
    mask = 0xFFFFFFFF
    state = seed & mask
    out = []

    def imul(a, b):
        return (a * b) & mask

    for _ in range(count):
        state = (state + 0x6D2B79F5) & mask
        t = imul(state ^ (state >> 15), 1 | state)
        t = ((t + imul(t ^ (t >> 7), 61 | t)) & mask) ^ t
        out.append(((t ^ (t >> 14)) & mask) / 4294967296)
    return out


print("mulberry32 seed 1", [repr(v) for v in mulberry32(1, 4)])
print("mulberry32 seed 123456789", [repr(v) for v in mulberry32(123456789, 4)])

# The detection fixture of tests/unit/core/metrics/detection.test.ts.
det_truth = ["CWE-79", "CWE-89", "CWE-22", "none", "none", "CWE-89"]
det_pred = ["CWE-79", "CWE-79", "none", "none", "CWE-89", "CWE-89"]
print("detection fixture weighted_f1", repr(weighted_f1(det_truth, det_pred)))
