#!/usr/bin/env python3
"""Every number range that differs between two `phonenumbers` releases, with one case per range.

For each region and number type whose pattern or possible lengths changed between the old
release (default: 8.12.57, the data of Debian 12's libphonenumber) and the installed one, the two
patterns are turned into automata (interegular) and walked digit by digit in step. A range is a
prefix plus a length where every number is matched by one release and none by the other (added
or removed); a walk that reaches 15 digits without deciding emits its prefix as a mixed range.
For each range one number (the prefix completed with random digits) is judged by both releases'
is_valid_number, so a range that moved between types without changing validity is counted too.

Writes TSV lines `region<TAB>type<TAB>change<TAB>e164<TAB>old verdict<TAB>new verdict` (verdict 1
or 0) to Tests/DropdialImportTests/phone_ranges.tsv; PhoneOracleTests checks dropdial gives the
new verdict on every line.

Usage:  python3 scripts/diff_phone_ranges.py [--old VERSION] [--out FILE]   (pip install interegular)
"""
import argparse
import functools
import json
import os
import random
import subprocess
import sys
import tempfile

import interegular
import phonenumbers
from phonenumbers import PhoneMetadata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "DropdialImportTests", "phone_ranges.tsv")
TYPES = ["fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number", "voip",
         "pager", "uan", "voicemail"]
MAX_DEPTH = 15

DUMP = r'''
import json, sys, phonenumbers
from phonenumbers import PhoneMetadata
out = {"version": phonenumbers.__version__, "regions": {}}
for region in sorted(phonenumbers.SUPPORTED_REGIONS):
    m = PhoneMetadata.metadata_for_region(region)
    g = tuple(m.general_desc.possible_length or ())
    types = {}
    for t in %r:
        d = getattr(m, t)
        if d is not None and d.national_number_pattern:
            types[t] = [d.national_number_pattern, list(d.possible_length or g)]
    out["regions"][region] = {"cc": m.country_code, "types": types}
json.dump(out, sys.stdout)
''' % (TYPES,)

JUDGE = r'''
import json, sys, phonenumbers
print(json.dumps([int(phonenumbers.is_valid_number(phonenumbers.parse(n, None))) for n in json.load(sys.stdin)]))
'''


def old_path(version):
    target = os.path.join(tempfile.gettempdir(), "dropdial-phonenumbers-" + version)
    if not os.path.isdir(os.path.join(target, "phonenumbers")):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--target", target,
                        "phonenumbers==" + version], check=True)
    return target


def run_python(code, path=None, stdin=None):
    env = dict(os.environ)
    if path:
        env["PYTHONPATH"] = path
    return json.loads(subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True,
                                     env=env, check=True).stdout)


class Automaton:
    """A national-number pattern as a DFA over digits, with 'all' and 'none' for each length."""

    def __init__(self, pattern):
        fsm = interegular.parse_pattern(pattern).to_fsm()
        self.fsm = fsm
        self.symbols = [fsm.alphabet[str(d)] for d in range(10)]

    def step(self, state, digit):
        if state is None:
            return None
        return self.fsm.map.get(state, {}).get(self.symbols[digit])

    @functools.lru_cache(maxsize=None)
    def uniform(self, state, k):
        """(all, none): every / no string of k digits from `state` is accepted."""
        if state is None:
            return (False, True)
        if k == 0:
            final = state in self.fsm.finals
            return (final, not final)
        results = [self.uniform(self.step(state, d), k - 1) for d in range(10)]
        return (all(r[0] for r in results), all(r[1] for r in results))


def ranges(old, new, old_lengths, new_lengths):
    """(prefix, length, change) for every decided block, change in added/removed/mixed."""
    lengths = sorted(set(old_lengths) | set(new_lengths))
    out = []

    def walk(prefix, a, b):
        depth = len(prefix)
        pending = False
        for length in lengths:
            if length < depth:
                continue
            k = length - depth
            ao = old.uniform(a, k) if length in old_lengths else (False, True)
            bn = new.uniform(b, k) if length in new_lengths else (False, True)
            if ao[1] and bn[1]:
                continue  # neither matches anything here
            if ao[0] and bn[1]:
                out.append((prefix, length, "removed"))
            elif ao[1] and bn[0]:
                out.append((prefix, length, "added"))
            elif (ao[0] and bn[0]):
                continue
            else:
                pending = True
        if pending:
            if depth >= MAX_DEPTH:
                out.append((prefix, max(lengths), "mixed"))
                return
            for d in range(10):
                walk(prefix + str(d), old.step(a, d), new.step(b, d))

    # A prefix decided for one length may still be undecided for another; walk() re-checks every
    # length at each depth and only reports blocks at the shallowest depth they are decided.
    seen = set()

    def dedupe():
        kept = []
        for prefix, length, change in sorted(out, key=lambda r: (r[1], len(r[0]), r[0])):
            if any((prefix[:i], length) in seen for i in range(len(prefix))):
                continue
            seen.add((prefix, length))
            kept.append((prefix, length, change))
        return kept

    walk("", old.fsm.initial, new.fsm.initial)
    return dedupe()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="8.12.57")
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    old = run_python(DUMP, old_path(args.old))
    new = run_python(DUMP)
    cases = []
    for region in sorted(set(old["regions"]) | set(new["regions"])):
        o = old["regions"].get(region, {"types": {}})
        n = new["regions"].get(region, {"types": {}})
        cc = n.get("cc") or o.get("cc")
        for t in TYPES:
            ot, nt = o["types"].get(t), n["types"].get(t)
            if ot == nt:
                continue
            nothing = Automaton("a")  # a type one release lacks matches no digit string
            found = ranges(Automaton(ot[0]) if ot else nothing, Automaton(nt[0]) if nt else nothing,
                           ot[1] if ot else [], nt[1] if nt else [])
            for prefix, length, change in found:
                nsn = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
                cases.append([region, t, change, "+%d%s" % (cc, nsn)])
    numbers = json.dumps([c[3] for c in cases])
    old_verdicts = run_python(JUDGE, old_path(args.old), numbers)
    new_verdicts = run_python(JUDGE, None, numbers)
    changed = 0
    with open(args.out, "w") as f:
        f.write("# ranges differing between phonenumbers %s and %s: region\ttype\tchange\te164\told valid\tnew valid\n"
                % (old["version"], new["version"]))
        for case, ov, nv in zip(cases, old_verdicts, new_verdicts):
            changed += ov != nv
            f.write("\t".join(case + [str(ov), str(nv)]) + "\n")
    print("%d ranges differ between phonenumbers %s and %s; %d of their cases changed verdict; wrote %s"
          % (len(cases), old["version"], new["version"], changed, os.path.relpath(args.out, ROOT)))


if __name__ == "__main__":
    main()
