#!/usr/bin/env python3
"""Writes generated domain names that look like real ones, to benchmark the domain index at the
scale of a full UT1 deployment (about 5 million names; UT1's 4.6M `adult` list is not in the
shared data). Each name copies a real name's shape: its label count, each label's length and
its top-level domain, with random letters and digits in place of the other labels.

    bench/generate_names.py REAL_LIST_FOLDER COUNT > names.txt

REAL_LIST_FOLDER holds UT1 `<category>.domains.gz` files. Deterministic (fixed seed).
"""
import gzip
import pathlib
import random
import re
import sys

folder, count = pathlib.Path(sys.argv[1]), int(sys.argv[2])
ipv4 = re.compile(r"^[0-9.]+$")
shapes = []
for path in sorted(folder.glob("*.domains.gz")):
    with gzip.open(path, "rt", encoding="ascii", errors="replace") as lines:
        for line in lines:
            name = line.strip().lstrip(".")
            if name and not ipv4.match(name):
                labels = name.split(".")
                shapes.append(([len(label) for label in labels[:-1]], labels[-1]))
rng = random.Random(20261124)
alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
out = sys.stdout
for _ in range(count):
    lengths, tld = shapes[rng.randrange(len(shapes))]
    labels = ["".join(rng.choices(alphabet, k=max(length, 3))) for length in lengths]
    out.write(".".join(labels + [tld]) + "\n")
