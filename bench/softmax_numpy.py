#!/usr/bin/python3
"""Time scipy.special.softmax(x, axis=1) on the 1,000,000 x 10 float64 batch of AuditBenchmark.

The logits come from SplitMix64 with the seed of AuditBenchmark, so both languages time the same matrix.
Prints one JSON object: the median seconds per pass over the batch, rows per second and a checksum that
the Java side reproduces (the sum of the softmax of the first 1,000 rows, column-weighted).
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import scipy
from scipy.special import softmax

SEED = 20260618
ROWS = 1_000_000
CLASSES = 10
GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)


def splitmix64(seed, count):
    """Return the first `count` outputs of SplitMix64 as uint64, vectorised (uint64 arithmetic wraps)."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * GOLDEN_GAMMA
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def batch_logits():
    """Return the ROWS x CLASSES logits, uniform in [-8, 8), exactly as AuditBenchmark.batchLogits builds them."""
    fractions = (splitmix64(SEED, ROWS * CLASSES) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return (fractions * 16 - 8).reshape(ROWS, CLASSES)


def checksum(probabilities):
    """Return sum over the first 1,000 rows of p[r, c] * (c + 1), which AuditBenchmark's checksum matches."""
    weights = np.arange(1, CLASSES + 1, dtype=np.float64)
    return float((probabilities[:1000] * weights).sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7, help="timed passes over the batch (default 7)")
    args = parser.parse_args()

    x = batch_logits()
    softmax(x, axis=1)  # warm-up pass: page faults of the output and NumPy's first-call setup
    seconds = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        p = softmax(x, axis=1)
        seconds.append(time.perf_counter() - start)

    median = statistics.median(seconds)
    json.dump({
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "rows": ROWS,
        "classes": CLASSES,
        "secondsMedian": median,
        "secondsAll": seconds,
        "rowsPerSecond": ROWS / median,
        "firstLogit": float(x[0, 0]),
        "checksum": checksum(p),
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
