#!/usr/bin/env python3
"""make score: the extractor's scores on every corpus with a gold file, as one table.

usage: score_all.py COOPQ_BIN [--check FLOORS | --record FLOORS]

Each corpus is scored by score.py beside this file (its docstring states the pairing rules). With
--check, FLOORS is a file of lines `corpus category figure`; the run fails when a category falls more
than 0.02 below its figure, so that a change that makes the extractor worse cannot land unseen. With
--record, FLOORS is written anew from this run's figures (after a change that raised them)."""
import os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "CoopQTests", "Fixtures")
CORPORA = [
    ("seeds", os.path.join(ROOT, "seeds"), os.path.join(FIXTURES, "seeds.gold.json")),
    ("dev", os.path.join(FIXTURES, "dev", "articles"), os.path.join(FIXTURES, "dev", "gold.json")),
    ("fixtures", os.path.join(FIXTURES, "articles"), os.path.join(FIXTURES, "articles.gold.json")),
]
SLACK = 0.02

def scores(binary, corpus, gold):
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "score.py"), binary, corpus, gold],
                       capture_output=True, text=True)
    last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    if not last.startswith("ok: "):
        sys.exit(f"score_all: scoring {corpus} failed:\n{p.stdout}{p.stderr}")
    return {k: float(v) for k, v in (kv.split("=") for kv in last[4:].split())}

def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    binary, floors = args[0], None
    if args[1:2] == ["--check"]:
        floors = {}
        for line in open(args[2]):
            if line.strip() and not line.startswith("#"):
                corpus, category, figure = line.split()
                floors[(corpus, category)] = float(figure)
    table = {name: scores(binary, corpus, gold) for name, corpus, gold in CORPORA}
    categories = list(table["dev"])
    print(f"{'category':<16}" + "".join(f"{name:>10}" for name, _, _ in CORPORA))
    for c in categories:
        print(f"{c:<16}" + "".join(f"{table[name].get(c, 0):>10.2f}" for name, _, _ in CORPORA))
    if args[1:2] == ["--record"]:
        with open(args[2], "w") as f:
            f.write("# The extractor's scores that make test holds (within 0.02): tools/score_all.py BIN --record FILE\n")
            for name, _, _ in CORPORA:
                for c in categories:
                    f.write(f"{name} {c} {table[name].get(c, 0):.2f}\n")
    if floors is not None:
        fallen = [f"{corpus} {category} {table[corpus].get(category, 0):.2f} < {figure:.2f}"
                  for (corpus, category), figure in floors.items() if table[corpus].get(category, 0) < figure - SLACK - 1e-9]
        if fallen:
            print("fallen more than 0.02 below the floor:\n  " + "\n  ".join(fallen))
            sys.exit(1)
        print(f"every category within {SLACK} of its floor ({len(floors)} checked)")

if __name__ == "__main__":
    main()
