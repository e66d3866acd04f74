#!/usr/bin/env python3
"""make test-spark: the recipe of docs/scale-out.md, checked. Spark (local mode) runs `coopq extract`
on each partition through RDD.pipe, one shard a partition; coopq assembles the parts and exports the
normalised tables; Spark writes each table as Parquet. Every Parquet table must equal the same table
of a single `coopq --export` of the corpus.

usage: spark_test.py COOPQ COOPQ_GEN ARTICLES WORK   (ARTICLES generated articles, under WORK)"""
import csv, os, shutil, subprocess, sys

coopq, gen, count, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
corpus = os.path.join(work, "articles")
subprocess.run([gen, "--articles", str(count), "--seed", "5", "--out", corpus], check=True, capture_output=True)
env = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"))

from pyspark.sql import SparkSession  # noqa: E402 (after the corpus: a missing Spark fails late, not before any work)
spark = SparkSession.builder.master("local[2]").appName("coopq-test-spark").config("spark.ui.enabled", "false").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
shards = 4
lines = spark.sparkContext.parallelize(range(shards), shards).pipe(
    f"xargs -I{{}} {coopq} extract --corpus {corpus} --shard {{}}/{shards} --out -", env=env)
header = lines.first()
parts = os.path.join(work, "all.jsonl")
with open(parts, "w", encoding="utf-8") as f:
    f.write(header + "\n")
    n = 0
    for line in lines.filter(lambda l: l != header).toLocalIterator():
        f.write(line + "\n")
        n += 1
print(f"spark: {n} articles extracted in {shards} partitions", file=sys.stderr)
assert n == count, f"{n} articles extracted, {count} expected"

assembled, single = os.path.join(work, "assembled"), os.path.join(work, "single")
subprocess.run([coopq, "--corpus-parts", parts, "--export", assembled, "-e", "count documents"], check=True, env=env,
               capture_output=True, stdin=subprocess.DEVNULL)
subprocess.run([coopq, "--corpus", corpus, "--no-cache", "--export", single, "-e", "count documents"], check=True, env=env,
               capture_output=True, stdin=subprocess.DEVNULL)

def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [tuple(r) for r in csv.reader(f)]

mismatches = 0
tables = sorted(t[:-4] for t in os.listdir(assembled) if t.endswith(".csv"))
for table in tables:
    # Read as text, column for column, so that the comparison is of what was written.
    frame = spark.read.csv(os.path.join(assembled, table + ".csv"), header=True, inferSchema=False,
                           multiLine=True, escape='"')
    parquet = os.path.join(work, "parquet", table)
    frame.write.parquet(parquet)
    back = [tuple("" if v is None else v for v in r) for r in spark.read.parquet(parquet).collect()]
    expected = rows(os.path.join(single, table + ".csv"))[1:]
    if sorted(back) != sorted(expected):
        mismatches += 1
        print(f"spark: {table}: {len(back)} rows in Parquet, {len(expected)} in the export", file=sys.stderr)
spark.stop()
print(f"spark: {len(tables)} tables written as Parquet, {mismatches} differing from the export", file=sys.stderr)
sys.exit(1 if mismatches else 0)
