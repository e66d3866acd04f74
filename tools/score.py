#!/usr/bin/env python3
"""Score coopq's extraction of a folder of articles against a gold file.

usage: score.py COOPQ_BIN CORPUS_DIR GOLD_JSON [CATEGORY=MIN ...]
  e.g. python3 tools/score.py .build/release/coopq Tests/CoopQTests/Fixtures/dev/articles Tests/CoopQTests/Fixtures/dev/gold.json events=0.9

It asks the binary for each collection as JSON (--corpus CORPUS_DIR --format json -e COLLECTION), pairs the
records with the gold ones and prints one line per category and a last summary line; it exits 1 when a
CATEGORY=MIN is not met. How records are paired:
- documents: field accuracy of date (to the gold's precision), source, place and title;
- people, places: by name; organizations: by name or alias; P, R and F1, where a record that matches a
  'required': false gold record counts as right and such a record is never a miss;
- events: an extracted and a gold event can pair when they agree on place (where the gold has one), date (to the
  gold's precision), ordinal (or both have none), and are of the same kind or share most of their names' words;
  among those, required gold, shared documents, kind and participants decide, best pair first. Then participants
  are scored over the pairs, and "merged across documents" counts gold events of several documents whose pair
  lists them all;
- agreements: same document and most of the name's words shared; figures: same document, same unit, same value
  to 1 %;
- topics: the (document, topic) pairs.
Names compare ignoring case, punctuation, spacing and diacritics.
"""
import json, re, subprocess, sys, unicodedata

def norm(s):
    if s is None:
        return None
    s = unicodedata.normalize("NFKD", str(s))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())

def run(binary, corpus, stmt):
    p = subprocess.run([binary, "--corpus", corpus, "--format", "json", "-e", stmt],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"`{stmt}` exited {p.returncode}: {p.stderr.strip()[:200]}")
    out = p.stdout.strip()
    if not out:
        return []
    # one JSON array per statement; take the first value
    val, _ = json.JSONDecoder().raw_decode(out)
    return val

def as_list(v):
    if v is None:
        return []
    if isinstance(v, list):
        return v
    return [v]

def names(v):
    out = []
    for x in as_list(v):
        if isinstance(x, dict):
            x = x.get("name") or x.get("id")
        out.append(norm(x))
    return [x for x in out if x]

def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f

def score_names(pred, gold_items):
    """pred: normalized names; gold_items: dicts with name and optional 'required'.
    Precision counts every gold match (optional ones too); recall counts required ones."""
    keys = [(norm(g["name"]), g.get("required", True)) for g in gold_items]
    matched, fp = set(), 0
    for n in set(pred):
        hit = [i for i, (k, _) in enumerate(keys) if n == k]
        if hit:
            matched.update(hit)
        else:
            fp += 1
    tp_req = sum(1 for i in matched if keys[i][1])
    fn = sum(1 for i, (k, req) in enumerate(keys) if req and i not in matched)
    p = len(matched) / (len(matched) + fp) if matched or fp else 0.0
    r = tp_req / (tp_req + fn) if tp_req + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return (p, r, f), matched

def date_ok(pred, gold):
    if gold is None:
        return True
    if pred is None:
        return False
    pred = str(pred); gold = str(gold)
    return pred.startswith(gold) or gold.startswith(pred) and len(pred) >= 4

STOP = {"the", "of", "and", "a", "an", "on", "in", "for", "between", "with", "to", "s"}

def words(s):
    return {w for w in (norm(s) or "").split() if w not in STOP}

def overlap(a, b):
    """Share of the shorter name's content words that the other name has too."""
    x, y = words(a), words(b)
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0

def unit(u):
    u = norm(u) or ""
    return {"usd": "usd", "dollars": "usd", "us dollars": "usd", "dollar": "usd", "percent": "percent", "per cent": "percent",
            "yuan": "yuan", "rmb": "yuan", "cny": "yuan", "rubles": "rub", "roubles": "rub", "rub": "rub"}.get(u, u)

def same_value(a, b):
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= max(abs(b) * 0.01, 0.001)

def match_score(pred, gold_items, same):
    """F1 of records paired one to one: same document and same(p, g); optional gold neither missed nor wrong."""
    def docs(x):
        return {str(d if not isinstance(d, dict) else d.get("id")) for d in as_list(x.get("documents"))}
    cands = [(gi, pi) for gi, g in enumerate(gold_items) for pi, p in enumerate(pred)
             if docs(p) & docs(g) and same(p, g)]
    used_g, used_p = set(), set()
    for gi, pi in sorted(cands, key=lambda c: not gold_items[c[0]].get("required", True)):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi); used_p.add(pi)
    tp = len(used_p)
    fp = len(pred) - tp
    fn = sum(1 for gi, g in enumerate(gold_items) if g.get("required", True) and gi not in used_g)
    return prf(tp, fp, fn)[2]

def main():
    binary, corpus, gold_path = sys.argv[1:4]
    mins = dict(a.split("=", 1) for a in sys.argv[4:] if "=" in a and not a.startswith("--"))
    gold = json.load(open(gold_path))
    res = {}
    lines = []
    try:
        docs = run(binary, corpus, "documents")
        people = run(binary, corpus, "people")
        places = run(binary, corpus, "places")
        orgs = run(binary, corpus, "organizations")
        events = run(binary, corpus, "events")
        topics = run(binary, corpus, "topics")
    except Exception as e:  # noqa
        print(f"could not query: {e}")
        sys.exit(1)

    # documents: field accuracy
    by_id = {str(d.get("id")): d for d in docs}
    ok = tot = 0
    for g in gold["documents"]:
        d = by_id.get(g["id"], {})
        for f in ("date", "source", "place", "title"):
            tot += 1
            gv, pv = g.get(f), d.get(f)
            if f == "date":
                ok += (gv is None and pv is None) or (gv is not None and pv is not None and str(pv)[:len(gv)] == gv)
            else:
                ok += norm(gv) == norm(pv)
    res["documents"] = ok / tot if tot else 0
    lines.append(f"documents field accuracy {res['documents']:.2f} ({ok}/{tot})")

    # people
    (p, r, f), matched = score_names([norm(x.get("name")) for x in people], gold["people"])
    res["people"] = f
    pred_by = {norm(x.get("name")): x for x in people}
    c_ok = c_tot = 0
    for i in matched:
        g = gold["people"][i]
        if g.get("country"):
            c_tot += 1
            c_ok += norm(pred_by.get(norm(g["name"]), {}).get("country")) == norm(g["country"])
    res["people_country"] = c_ok / c_tot if c_tot else 0
    lines.append(f"people P {p:.2f} R {r:.2f} F1 {f:.2f}; country {res['people_country']:.2f} ({c_ok}/{c_tot})")

    # places (only cities, provinces, countries named in gold)
    (p, r, f), _ = score_names([norm(x.get("name")) for x in places], gold["places"])
    res["places"] = f
    lines.append(f"places P {p:.2f} R {r:.2f} F1 {f:.2f}")

    # organizations: name or alias; a prediction's own aliases count too
    keys = []
    for g in gold["organizations"]:
        keys.append(({norm(g["name"])} | {norm(a) for a in g.get("aliases", [])}, g.get("required", True)))
    matched = set(); fp = 0
    for o in orgs:
        cand = {norm(o.get("name"))} | {norm(a) for a in as_list(o.get("aliases"))}
        hit = [i for i, (ks, _) in enumerate(keys) if cand & ks]
        if hit:
            matched.update(hit)
        else:
            fp += 1
    fn = sum(1 for i, (ks, req) in enumerate(keys) if req and i not in matched)
    p, r, f = prf(len(matched), fp, fn)
    res["organizations"] = f
    lines.append(f"organizations P {p:.2f} R {r:.2f} F1 {f:.2f}")

    # events: compatible pairs agree on place, date (to the gold's precision) and ordinal;
    # among them, required gold events, shared documents, kind and participants decide, best first
    gev = gold["events"]
    cands = []
    for ei, e in enumerate(events):
        for gi, g in enumerate(gev):
            # a pair must be the same kind of event, or share most of its name's words
            if norm(e.get("kind")) != norm(g.get("kind")) and overlap(e.get("name"), g.get("name")) < 0.5:
                continue
            if g.get("place") and norm(e.get("place")) != norm(g["place"]):
                continue
            if not date_ok(e.get("date"), g.get("date")):
                continue
            if g.get("ordinal") is not None and e.get("ordinal") not in (g["ordinal"], str(g["ordinal"])):
                continue
            if g.get("ordinal") is None and e.get("ordinal") not in (None, "", 0):
                continue
            docs = {str(d if not isinstance(d, dict) else d.get("id")) for d in as_list(e.get("documents"))}
            score = (10 * g.get("required", True) + 3 * len(docs & set(g.get("documents", [])))
                     + 2 * (norm(e.get("kind")) == norm(g.get("kind")))
                     + len(set(names(e.get("participants"))) & {norm(x) for x in g.get("participants", [])}))
            cands.append((score, ei, gi))
    used, took, pairs = set(), set(), []
    for score, ei, gi in sorted(cands, reverse=True):
        if ei in took or gi in used:
            continue
        took.add(ei); used.add(gi); pairs.append((events[ei], gev[gi]))
    tp = len(pairs)
    fp = len(events) - tp
    fn = sum(1 for gi, g in enumerate(gev) if g.get("required", True) and gi not in used)
    p, r, f = prf(tp, fp, fn)
    res["events"] = f
    ptp = pfp = pfn = 0
    for e, g in pairs:
        pe, ge = set(names(e.get("participants"))), {norm(x) for x in g.get("participants", [])}
        ptp += len(pe & ge); pfp += len(pe - ge); pfn += len(ge - pe)
    res["participants"] = prf(ptp, pfp, pfn)[2]
    merged = sum(1 for e, g in pairs if len(g.get("documents", [])) > 1 and set(map(str, as_list(e.get("documents")))) >= set(g["documents"]))
    need = sum(1 for g in gev if len(g.get("documents", [])) > 1)
    res["merged"] = merged / need if need else 1.0
    lines.append(f"events P {p:.2f} R {r:.2f} F1 {f:.2f}; participants F1 {res['participants']:.2f}; merged across documents {merged}/{need}")

    # agreements: same document, and most of the name's words shared
    try:
        agreements = run(binary, corpus, "agreements")
        figures = run(binary, corpus, "figures")
    except Exception as e:  # noqa
        agreements, figures = [], []
    res["agreements"] = match_score(agreements, gold.get("agreements", []),
        lambda a, g: overlap(a.get("name"), g.get("name")) >= 0.5)
    # figures: same document, same unit, the same value (to 1 %)
    res["figures"] = match_score(figures, gold.get("figures", []),
        lambda a, g: unit(a.get("unit")) == unit(g.get("unit")) and same_value(a.get("value"), g.get("value")))
    lines.append(f"agreements F1 {res['agreements']:.2f}; figures F1 {res['figures']:.2f}")

    # topics per document
    pred_t = {}
    for t in topics:
        for d in as_list(t.get("documents")):
            pred_t.setdefault(str(d if not isinstance(d, dict) else d.get("id")), set()).add(norm(t.get("name")))
    ttp = tfp = tfn = 0
    for did, gts in gold.get("topics", {}).items():
        gs = {norm(x) for x in gts}; ps = pred_t.get(did, set())
        ttp += len(gs & ps); tfp += len(ps - gs); tfn += len(gs - ps)
    p, r, f = prf(ttp, tfp, tfn)
    res["topics"] = f
    lines.append(f"topics P {p:.2f} R {r:.2f} F1 {f:.2f}")

    for l in lines:
        print(l)
    short = " ".join(f"{k}={v:.2f}" for k, v in res.items())
    failed = [k for k, v in mins.items() if res.get(k, 0) < float(v)]
    print(("BELOW " + ",".join(failed) + ": " if failed else "ok: ") + short)
    sys.exit(1 if failed else 0)

if __name__ == "__main__":
    main()
