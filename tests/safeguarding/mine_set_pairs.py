#!/usr/bin/env python3
"""Writes the mined proximity rules of the starter libraries (docs/PHRASES.md, "Mined set pairs").

A pair of word sets becomes a rule `3 near 8: A, B` of a category when members of both are found
in at least --min-support risky searches of that category (and in at least 80% of all the risky
searches that hold both), in at least --min-gain of them that no other rule catches, in none of
the benign searches, and when one of the two sets already serves a hand-written rule of the
category. Searches are the development part of tests/data/safeguarding (the test part is never
read: a line is skipped when the FNV-1a hash of its text is odd) and the probe searches of
tests/data/safeguarding_probes. Rules that then hit anything in Debian's manual pages or WordNet's
glosses (bench/phrase_false_positives) are dropped until none does.

Each category file's block of mined rules starts at the line MARKER and runs to the end of the
file; it is replaced, so the script can be run again after the libraries change.

usage: tests/safeguarding/mine_set_pairs.py BUILD_DIR
  BUILD_DIR holds tests/safeguarding/phrase_recall and bench/phrase_false_positives.
"""
import collections
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHRASES = os.path.join(ROOT, 'agent/recording/phrases')
CORPUS = os.path.join(ROOT, 'tests/data/safeguarding')
PROBES = os.path.join(ROOT, 'tests/data/safeguarding_probes')
WORDNET = ['/usr/share/wordnet/data.' + part for part in ('noun', 'verb', 'adj', 'adv')]
MARKER = '# Mined set pairs (tests/safeguarding/mine_set_pairs.py):'
CATEGORIES = ['self-harm', 'bullying', 'extremism', 'sexual-exploitation', 'drugs',
              'weapons-violence', 'hate']
# Bullying's sets (being alone at school, afraid of school) are everyday words young people also
# use of ordinary days: with its mined pairs a benign line of the test part alerted, so none is.
NOT_MINED = {'bullying'}
# Sets that say what a text is not, or whose words are everywhere: never half of a mined pair.
CONTEXT_SETS = {'help-seeking', 'school-work', 'everyday-harm', 'bully-benign', 'hyperbole',
                'family-care', 'family-money', 'peer-age', 'tech-help', 'hate-aware',
                'first-person', 'teen-slang', 'intent'}
MIN_SUPPORT, MIN_GAIN, WINDOW, FEATURE_WINDOW = 3, 1, 8, 30


def fnv1a(data):
    value = 0xcbf29ce484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return value


def corpus_lines(folder, dev_only):
    lines = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.tsv'):
            continue
        with open(os.path.join(folder, name), encoding='utf-8') as tsv:
            for line in tsv:
                if line.startswith('#') or not line.strip():
                    continue
                label, category, kind, text = line.rstrip('\n').split('\t')
                if dev_only and fnv1a(text.encode()) % 2:
                    continue
                lines.append((label, category, kind, text))
    return lines


def without_mined_block(text):
    at = text.find('\n' + MARKER)
    return (text if at < 0 else text[:at]).rstrip('\n') + '\n'


def copy_libraries(folder):
    """The starter libraries without their mined blocks, the lexicon first."""
    os.makedirs(folder)
    for name in os.listdir(PHRASES):
        with open(os.path.join(PHRASES, name), encoding='utf-8') as source:
            text = without_mined_block(source.read())
        target = '0-lexicon.txt' if name == 'lexicon.txt' else name
        with open(os.path.join(folder, target), 'w', encoding='utf-8') as out:
            out.write(text)


def hand_written_rules(folder):
    """Each word set with the categories of the hand-written rules that use it, and the pairs of
    sets those rules already join, by category."""
    uses = collections.defaultdict(set)
    joined = set()
    for name in os.listdir(folder):
        category = None
        with open(os.path.join(folder, name), encoding='utf-8') as library:
            for line in library:
                if match := re.match(r'category:\s*(\S+)', line):
                    category = match.group(1)
                elif (match := re.match(r'\d near \d+: ([^#]*)', line)) and category:
                    named = match.group(1).split(' unless ')
                    sets = sorted(name.strip() for name in named[0].split(','))
                    for name_of_set in re.split(r',| unless ', match.group(1)):
                        uses[name_of_set.strip()].add(category)
                    for pair in itertools.combinations(sets, 2):
                        joined.add((category,) + pair)
    return uses, joined


def add_feature_rules(folder):
    """A category s-SET for each word set, alerting wherever a member is: a member in two sets
    of one rule alerts alone, so each set gets a copy zz-SET."""
    lexicon = os.path.join(folder, '0-lexicon.txt')
    with open(lexicon, encoding='utf-8') as source:
        lines = source.readlines()
    names = []
    copies = []
    for line in lines:
        if match := re.match(r'words ([a-z0-9-]+):(.*)', line):
            if match.group(1) not in names:
                names.append(match.group(1))
            copies.append(f'words zz-{match.group(1)}:{match.group(2).rstrip()}\n')
    with open(lexicon, 'a', encoding='utf-8') as out:
        out.writelines(copies)
    with open(os.path.join(folder, 'zz-features.txt'), 'w', encoding='utf-8') as out:
        for name in names:
            out.write(f'category: s-{name}\n5 near {FEATURE_WINDOW}: {name}, zz-{name}\n')


def features(build, libraries, lines, work):
    """For each text: the categories it alerts in and the word sets it has members of."""
    folder = os.path.join(work, 'relabelled')
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    with open(os.path.join(folder, 'all.tsv'), 'w', encoding='utf-8') as out:
        for _, category, kind, text in lines:
            out.write(f'benign\t{category}\t{kind}\t{text}\n')  # so --show lists every alert
    found = {}
    for split in ('dev', 'test'):  # the splits of these lines, all read from the dev part
        shown = subprocess.run([os.path.join(build, 'tests/safeguarding/phrase_recall'),
                                '--phrases', libraries, '--corpus', folder, '--show', split],
                               capture_output=True, text=True, check=True).stdout
        for row in shown.splitlines():
            parts = row.split('\t')
            found[parts[2]] = {re.match(r'<- (\S+) ', part).group(1) for part in parts[3:]}
    return [(label, category, found.get(text, set())) for label, category, _, text in lines]


def mine(rows, uses, joined):
    def sets_in(found):
        return sorted({f[2:] for f in found if f.startswith('s-')} - CONTEXT_SETS)

    risky = collections.defaultdict(collections.Counter)
    missed = collections.defaultdict(collections.Counter)
    benign = collections.Counter()
    for label, category, found in rows:
        caught = bool(found & set(CATEGORIES))
        for pair in itertools.combinations(sets_in(found), 2):
            if label == 'risky':
                risky[pair][category] += 1
                missed[pair][category] += 0 if caught else 1
            elif label == 'benign':
                benign[pair] += 1
    rules = []
    for pair, by_category in risky.items():
        if benign[pair]:
            continue
        for category, support in by_category.items():
            if (category not in NOT_MINED and (category,) + pair not in joined and
                    support >= MIN_SUPPORT and
                    missed[pair][category] >= MIN_GAIN and
                    support >= 0.8 * sum(by_category.values()) and
                    (category in uses[pair[0]] or category in uses[pair[1]])):
                rules.append((category, pair[0], pair[1], support))
    return sorted(rules)


def write_rules(folder, rules, header):
    by_category = collections.defaultdict(list)
    for category, first, second, support in rules:
        by_category[category].append(f'3 near {WINDOW}: {first}, {second}  # {support} risky')
    for category in CATEGORIES:
        path = os.path.join(folder, category + '.txt')
        with open(path, encoding='utf-8') as source:
            text = without_mined_block(source.read())
        if by_category[category]:
            text += f'\n{header}category: {category}\n' + '\n'.join(by_category[category]) + '\n'
        with open(path, 'w', encoding='utf-8') as out:
            out.write(text)


def hit_rules(build, libraries):
    """The mined rules that hit a manual-page paragraph or a WordNet gloss."""
    bench = os.path.join(build, 'bench/phrase_false_positives')
    hits = set()
    for extra in ([], ['--wordnet'] + WORDNET):
        shown = subprocess.run([bench, '--all', '--phrases', libraries] + extra,
                               capture_output=True, text=True, check=True).stdout
        for row in shown.splitlines():
            if match := re.match(r'hit\t(\S+): near \d+: ([a-z0-9-]+), ([a-z0-9-]+)\t', row):
                hits.add(match.groups())
    return hits


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        plain = os.path.join(work, 'plain')
        copy_libraries(plain)
        uses, joined = hand_written_rules(plain)
        featured = os.path.join(work, 'featured')
        shutil.copytree(plain, featured)
        add_feature_rules(featured)
        lines = corpus_lines(CORPUS, dev_only=True) + corpus_lines(PROBES, dev_only=False)
        rules = mine(features(build, featured, lines, work), uses, joined)
        print(f'{len(rules)} pairs from {len(lines)} searches')
        trial = os.path.join(work, 'trial')
        while True:
            shutil.rmtree(trial, ignore_errors=True)
            shutil.copytree(plain, trial)
            write_rules(trial, rules, '')
            hits = hit_rules(build, trial)
            kept = [rule for rule in rules if (rule[0], rule[1], rule[2]) not in hits]
            if len(kept) == len(rules):
                break
            print(f'{len(rules) - len(kept)} hit the manual pages or WordNet')
            rules = kept
    header = (f'{MARKER} two word sets found together in\n'
              f'# at least {MIN_SUPPORT} risky searches of the category (80% of those holding '
              f'both), in at least {MIN_GAIN}\n# that no other rule caught, in no benign search, '
              'manual page or WordNet gloss.\n')
    write_rules(PHRASES, rules, header)
    print(json.dumps(collections.Counter(rule[0] for rule in rules)))


if __name__ == '__main__':
    main()
