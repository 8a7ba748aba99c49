# Reference value for tests/unit/cli/notebook-builtin.test.ts: Spearman's rho between Table 1's
# cc_total_sr1 and repair_sr1 (the paper's published numbers), computed with scipy.
# Run: python3 tests/reference/cli_notebook_spearman.py
import csv
import pathlib

from scipy.stats import spearmanr

table = pathlib.Path(__file__).resolve().parents[2] / 'datasets/paper/table1_main_results.csv'
with table.open(newline='') as f:
    rows = list(csv.DictReader(f))
x = [float(r['cc_total_sr1']) for r in rows]
y = [float(r['repair_sr1']) for r in rows]
print(len(rows), repr(spearmanr(x, y).statistic))
