#!/usr/bin/env python3
"""Prints the per-stage table of BENCHMARKS.md from criterion's last results.

  cargo bench -p aidledger-core --bench stages
  python3 scripts/criterion_table.py [target/criterion]

Reads target/criterion/{en,fr}/STAGE/new/{benchmark,estimates}.json and prints, per
stage, the median time per article and the throughput in MB/s (10^6 bytes of original
article text per second; criterion itself prints MiB/s).
"""
import json
import os
import sys

STAGES = ['normalize', 'segment', 'gazetteer', 'find_numbers', 'find_money', 'find_times',
          'extract', 'extract_langid']
LANGS = ['en', 'fr']


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'target', 'criterion')
    rows = []
    for stage in STAGES:
        cells = []
        for lang in LANGS:
            d = os.path.join(root, lang, stage, 'new')
            try:
                with open(os.path.join(d, 'benchmark.json')) as f:
                    nbytes = json.load(f)['throughput']['Bytes']
                with open(os.path.join(d, 'estimates.json')) as f:
                    ns = json.load(f)['median']['point_estimate']
            except (OSError, KeyError, ValueError):
                cells += ['-', '-']
                continue
            mbs = nbytes / ns * 1000
            cells += [f'{ns / 1000:.1f} µs', f'{mbs:.0f}' if mbs >= 100 else f'{mbs:.1f}']
        rows.append([f'`{stage}`'] + cells)
    head = ['stage', 'EN time', 'EN MB/s', 'FR time', 'FR MB/s']
    print('| ' + ' | '.join(head) + ' |')
    print('|' + '|'.join(['---'] + ['---:'] * 4) + '|')
    for r in rows:
        print('| ' + ' | '.join(r) + ' |')


if __name__ == '__main__':
    main()
