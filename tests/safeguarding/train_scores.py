#!/usr/bin/env python3
"""Trains the learned scores of the starter libraries (docs/PHRASES.md, "Learned scores").

One logistic regression per category, one against the rest, over which word sets have a member in
a text and which pairs of them do together: a category's risky searches are its positives, the
benign searches and the other categories' risky ones its negatives (help searches are left out).
L2-regularised, fitted with L-BFGS in plain Python (no numpy), weights under --prune dropped. The
searches are the development part of tests/data/safeguarding (phrase_recall --features dev: the
test part is never printed) and tests/data/safeguarding_probes; each line's word sets and the
alerts of the rules come from the real matcher, through phrase_recall --phrases with a copy of the
libraries without scores.txt.

A category's threshold is chosen on out-of-fold scores (k-fold cross-validation): above the
highest score of a benign search that the rules leave alone and the school-work context would not
silence, plus --margin, so that the scores add as few false alerts as they can. The figures the
script prints are honest estimates: each fold is scored by models trained without it, with
thresholds chosen on the other folds' out-of-fold scores.

usage: tests/safeguarding/train_scores.py BUILD_DIR [--write FOLDER] [--margin M] [--l2 L]
                                          [--prune P] [--pair-support N] [--show]
  BUILD_DIR holds tests/safeguarding/phrase_recall. Without --write only the figures are printed;
  with it FOLDER gets a copy of the libraries and scores.txt, from models trained on all the
  searches, to measure with phrase_recall --phrases FOLDER (the starter libraries ship no scores:
  docs/PERFORMANCE.md, "the seventh pass", found they add false alerts and hardly any recall).
"""
import argparse
import collections
import itertools
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHRASES = os.path.join(ROOT, 'agent/recording/phrases')
PROBES = os.path.join(ROOT, 'tests/data/safeguarding_probes')
SCORES = 'scores.txt'
LEXICON = 'lexicon.txt'
CATEGORIES = ['self-harm', 'bullying', 'extremism', 'sexual-exploitation', 'drugs',
              'weapons-violence', 'hate']
FOLDS = 5
SEED = 13


def copy_libraries(folder):
    """The libraries without the learned scores, the lexicon first (read in name order)."""
    os.makedirs(folder)
    for name in os.listdir(PHRASES):
        if name.endswith('.txt') and name != SCORES:
            target = '0-' + name if name == LEXICON else name
            shutil.copy(os.path.join(PHRASES, name), os.path.join(folder, target))


def searches(build_dir, libraries):
    """(label, category, alerted by the rules, frozenset of word sets, text) of every search."""
    tool = os.path.join(build_dir, 'tests/safeguarding/phrase_recall')
    runs = [['--features', 'dev'], ['--corpus', PROBES, '--features', 'all']]
    lines = []
    for run in runs:
        output = subprocess.run([tool, '--phrases', libraries] + run, check=True,
                                capture_output=True, text=True).stdout
        for line in output.splitlines():
            label, category, alerted, sets, text = line.split('\t')
            lines.append((label, category, alerted != '-', frozenset(sets.split()), text))
    return lines


def silenced(sets):
    """School work in no one's own words and with no intent: the matcher drops hits below 5."""
    return 'school-work' in sets and 'first-person' not in sets and 'intent' not in sets


def features_of(sets, pairs):
    """The feature names of a search: its sets, and the pairs of them that `pairs` holds."""
    names = list(sets)
    names += [a + ' + ' + b for a, b in itertools.combinations(sorted(sets), 2) if (a, b) in pairs]
    return names


def frequent_pairs(lines, category, support):
    """The pairs of sets found together in `support` risky searches of the category: rarer pairs
    cannot be weighed and would only make the model larger."""
    counts = collections.Counter()
    for label, cat, _, sets, _ in lines:
        if label == 'risky' and cat == category:
            counts.update(itertools.combinations(sorted(sets), 2))
    return {pair for pair, count in counts.items() if count >= support}


def loss_and_gradient(weights, examples, l2):
    """Weighted logistic loss with L2 on every weight but the bias (index 0)."""
    gradient = [0.0] * len(weights)
    loss = 0.0
    for ids, positives, negatives in examples:
        score = weights[0] + sum(weights[i] for i in ids)
        if score >= 0:
            tail = math.exp(-score)
            loss += positives * math.log1p(tail) + negatives * (score + math.log1p(tail))
            probability = 1 / (1 + tail)
        else:
            tail = math.exp(score)
            loss += positives * (math.log1p(tail) - score) + negatives * math.log1p(tail)
            probability = tail / (1 + tail)
        step = (positives + negatives) * probability - positives
        gradient[0] += step
        for i in ids:
            gradient[i] += step
    for i in range(1, len(weights)):
        loss += 0.5 * l2 * weights[i] * weights[i]
        gradient[i] += l2 * weights[i]
    return loss, gradient


def lbfgs(function, size, iterations=150, memory=8):
    """Minimises function(weights) -> (value, gradient) from zero weights; deterministic."""
    weights = [0.0] * size
    value, gradient = function(weights)
    history = []
    for _ in range(iterations):
        direction = [-g for g in gradient]
        alphas = []
        for s, y, rho in reversed(history):
            alpha = rho * sum(a * b for a, b in zip(s, direction))
            alphas.append(alpha)
            direction = [d - alpha * b for d, b in zip(direction, y)]
        if history:
            s, y, _ = history[-1]
            scale = sum(a * b for a, b in zip(s, y)) / sum(b * b for b in y)
            direction = [scale * d for d in direction]
        for (s, y, rho), alpha in zip(history, reversed(alphas)):
            beta = rho * sum(a * b for a, b in zip(y, direction))
            direction = [d + (alpha - beta) * a for d, a in zip(direction, s)]
        slope = sum(a * b for a, b in zip(gradient, direction))
        if slope >= 0:
            direction = [-g for g in gradient]
            slope = -sum(g * g for g in gradient)
        step = 1.0
        while True:
            trial = [w + step * d for w, d in zip(weights, direction)]
            trial_value, trial_gradient = function(trial)
            if trial_value <= value + 1e-4 * step * slope or step < 1e-10:
                break
            step /= 2
        s = [a - b for a, b in zip(trial, weights)]
        y = [a - b for a, b in zip(trial_gradient, gradient)]
        sy = sum(a * b for a, b in zip(s, y))
        if sy > 1e-12:
            history.append((s, y, 1 / sy))
            history = history[-memory:]
        improvement = value - trial_value
        weights, value, gradient = trial, trial_value, trial_gradient
        if improvement < 1e-6 * max(1.0, abs(value)):
            break
    return weights


def train(lines, category, settings):
    """{feature name: weight, rounded} and the bias of one category's model."""
    pairs = frequent_pairs(lines, category, settings.pair_support)
    index = {}
    grouped = collections.defaultdict(lambda: [0, 0])
    for label, cat, _, sets, _ in lines:
        if label == 'help':
            continue
        ids = tuple(sorted(index.setdefault(name, len(index) + 1)
                           for name in features_of(sets, pairs)))
        grouped[ids][0 if label == 'risky' and cat == category else 1] += 1
    examples = [(ids, counts[0], counts[1]) for ids, counts in sorted(grouped.items())]
    weights = lbfgs(lambda w: loss_and_gradient(w, examples, settings.l2), len(index) + 1)
    names = {i: name for name, i in index.items()}
    model = {names[i]: round(w, 2) for i, w in enumerate(weights)
             if i and abs(w) >= settings.prune}
    return model, weights[0]


def score(model, sets):
    """What the matcher adds up for a text: the weights of its sets and of its pairs of sets."""
    total = sum(model.get(name, 0.0) for name in sets)
    for a, b in itertools.combinations(sorted(sets), 2):
        total += model.get(a + ' + ' + b, 0.0)
    return total


def fold_of(number):
    order = list(range(number))
    random.Random(SEED).shuffle(order)
    return {line: position % FOLDS for position, line in enumerate(order)}


def out_of_fold_scores(lines, settings):
    """scores[c][i]: line i's score for category c (bias included) by a model not trained on it."""
    folds = fold_of(len(lines))
    scores = {category: [0.0] * len(lines) for category in CATEGORIES}
    for fold in range(FOLDS):
        training = [line for i, line in enumerate(lines) if folds[i] != fold]
        for category in CATEGORIES:
            model, bias = train(training, category, settings)
            for i, line in enumerate(lines):
                if folds[i] == fold:
                    scores[category][i] = bias + score(model, line[3])
        print(f'  fold {fold + 1} of {FOLDS} trained', file=sys.stderr)
    return scores, folds


def thresholds_from(lines, scores, chosen, margin):
    """Per category: above the highest score of a benign line, among `chosen`, that only the score
    would make alert."""
    thresholds = {}
    for category in CATEGORIES:
        quiet = [scores[category][i] for i in chosen
                 if lines[i][0] == 'benign' and not lines[i][2] and not silenced(lines[i][3])]
        thresholds[category] = max(quiet) + margin
    return thresholds


def alerts_by_score(line_sets, line_scores, thresholds):
    if silenced(line_sets):
        return []
    return [c for c in CATEGORIES if line_scores[c] > thresholds[c]]


def cross_validated_figures(lines, scores, folds, margin):
    """Each fold with thresholds chosen on the others: the estimate of the whole procedure."""
    figures = {c: collections.Counter() for c in CATEGORIES + ['overall']}
    caught_lines = []
    for fold in range(FOLDS):
        others = [i for i in range(len(lines)) if folds[i] != fold]
        thresholds = thresholds_from(lines, scores, others, margin)
        for i in (i for i in range(len(lines)) if folds[i] == fold):
            label, category, by_rules, sets, text = lines[i]
            by_score = alerts_by_score(sets, {c: scores[c][i] for c in CATEGORIES}, thresholds)
            for row in (figures[category], figures['overall']):
                row[label] += 1
                row[label + ' rules'] += by_rules
                row[label + ' scores'] += bool(by_score)
                row[label + ' either'] += by_rules or bool(by_score)
                row[label + ' in category'] += category in by_score
            if by_score and not by_rules and label != 'help':
                caught_lines.append((label, category, ','.join(by_score), text))
    return figures, caught_lines


def print_figures(figures):
    print('category             risky  rules  +scores  scores alone (in cat.) | benign  rules '
          '+scores  per 1,000 (rules)')
    for category in CATEGORIES + ['overall']:
        row = figures[category]
        risky, benign = row['risky'], row['benign']
        print(f"{category:20} {risky:5} {100 * row['risky rules'] / risky:6.1f} "
              f"{100 * row['risky either'] / risky:8.1f} {100 * row['risky scores'] / risky:13.1f} "
              f"({100 * row['risky in category'] / risky:5.1f}) | {benign:6} "
              f"{row['benign rules']:6} {row['benign either']:7} "
              f"{1000 * row['benign either'] / benign:10.1f} "
              f"({1000 * row['benign rules'] / benign:.1f})")


def write_scores(path, models, thresholds, settings):
    with open(path, 'w', encoding='utf-8') as out:
        out.write('# Learned scores (docs/PHRASES.md, "Learned scores"), written by\n'
                  f'# tests/safeguarding/train_scores.py {settings}: edit the script or its data, '
                  'not this file.\n')
        for category in CATEGORIES:
            model, bias = models[category]
            # The bias goes into the threshold: the matcher adds up only the weights present.
            above = math.ceil((thresholds[category] - bias) * 100) / 100
            out.write(f'\ncategory: {category}\nscore above: {above:.2f}\n')
            for name, weight in sorted(model.items(), key=lambda item: (-abs(item[1]), item[0])):
                out.write(f'score {name}: {weight:.2f}\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('build_dir')
    parser.add_argument('--write', metavar='FOLDER')
    parser.add_argument('--margin', type=float, default=0.0)
    parser.add_argument('--l2', type=float, default=1.0)
    parser.add_argument('--prune', type=float, default=0.1)
    parser.add_argument('--pair-support', type=int, default=3)
    parser.add_argument('--show', action='store_true', help='list the lines only scores alert on')
    arguments = parser.parse_args()
    work = tempfile.mkdtemp(prefix='train_scores.')
    try:
        libraries = os.path.join(work, 'libraries')
        copy_libraries(libraries)
        lines = searches(arguments.build_dir, libraries)
    finally:
        shutil.rmtree(work)
    print(f'{len(lines)} searches: dev part and probes', file=sys.stderr)
    scores, folds = out_of_fold_scores(lines, arguments)
    figures, caught = cross_validated_figures(lines, scores, folds, arguments.margin)
    settings = (f'--l2 {arguments.l2} --prune {arguments.prune} --margin {arguments.margin} '
                f'--pair-support {arguments.pair_support}')
    print(f'{FOLDS}-fold cross-validated, {settings}:')
    print_figures(figures)
    if arguments.show:
        for line in sorted(caught):
            print('\t'.join(line))
    if not arguments.write:
        return
    thresholds = thresholds_from(lines, scores, range(len(lines)), arguments.margin)
    models = {}
    for category in CATEGORIES:
        models[category] = train(lines, category, arguments)
    copy_libraries(arguments.write)
    write_scores(os.path.join(arguments.write, SCORES), models, thresholds, settings)
    print(f'wrote {arguments.write}/{SCORES}: '
          f'{sum(len(m) for m, _ in models.values())} weights', file=sys.stderr)


if __name__ == '__main__':
    main()
