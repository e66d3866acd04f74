#!/usr/bin/env python3
"""The rows DuckDB gives for SQL statements over a coopq export, for the differential test.

usage: duckdb_rows.py FOLDER < statements.json > rows.json
Run where FOLDER is named as the export was (its duckdb.sql names it so). Reads a JSON list of SQL
statements; writes a JSON list with, for each, its rows (each value as coopq shows it: a missing
value empty, a whole number without decimals) or {"error": message}."""
import json, sys

try:
    import duckdb
except ImportError:
    sys.exit("duckdb_rows.py: the duckdb package is missing (python3 -m pip install duckdb; make test installs it)")

def shown(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        f = float(v)
        if f == int(f) and abs(f) < 1e15:
            return str(int(f))
        return repr(float("%.10g" % f))
    return str(v)

folder = sys.argv[1]
con = duckdb.connect()
con.execute(open(f"{folder}/duckdb.sql", encoding="utf-8").read())
out = []
for sql in json.load(sys.stdin):
    try:
        out.append([[shown(v) for v in row] for row in con.execute(sql).fetchall()])
    except Exception as e:  # a statement DuckDB cannot run is the test's finding, not a crash
        out.append({"error": str(e)})
json.dump(out, sys.stdout)
