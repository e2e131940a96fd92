package io.probity.audit;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;

/**
 * Search for a class order in which the reported values match the recomputation.
 *
 * <p>A permutation {@code perm} fits when {@code |reported[i] - recomputed[perm[i]]| <= tolerance(recomputed[perm[i]])}
 * for every i. The search tries, in this order: every rotation (an off-by-one class shift is the most common
 * cause), then for at most {@value #EXHAUSTIVE_LIMIT} classes every permutation in lexicographic order
 * (8! = 40,320, with branches cut as soon as a position cannot be filled), and above that limit the
 * matching of the two vectors sorted by value. Sorting finds a fitting permutation whenever one exists,
 * because both ends of the interval {@code q +- tolerance(q)} grow with q (the exchange argument for
 * intervals with sorted ends). The exhaustive search only adds a preference for the lexicographically
 * first permutation when ties allow several.
 */
final class ClassOrder {

    static final int EXHAUSTIVE_LIMIT = 8;

    private ClassOrder() {
    }

    /** Returns a fitting permutation other than the identity, or null. */
    static int[] find(double[] reported, double[] recomputed, DoubleUnaryOperator tolerance) {
        int n = reported.length;
        if (n < 2) {
            return null;
        }

        int[] perm = new int[n];
        for (int shift = 1; shift < n; shift++) {
            for (int i = 0; i < n; i++) {
                perm[i] = (i + shift) % n;
            }
            if (fits(reported, recomputed, perm, tolerance)) {
                return perm;
            }
        }

        if (n <= EXHAUSTIVE_LIMIT) {
            boolean[] used = new boolean[n];
            return searchFrom(0, reported, recomputed, tolerance, perm, used) ? perm : null;
        }
        return matchBySorting(reported, recomputed, tolerance);
    }

    /** Returns the shift k when perm[i] == (i + k) mod n for every i, else 0. */
    static int rotation(int[] perm) {
        int n = perm.length;
        int shift = perm[0];
        for (int i = 0; i < n; i++) {
            if (perm[i] != (i + shift) % n) {
                return 0;
            }
        }
        return shift;
    }

    private static boolean searchFrom(int position, double[] reported, double[] recomputed,
            DoubleUnaryOperator tolerance, int[] perm, boolean[] used) {
        int n = reported.length;
        if (position == n) {
            return !isIdentity(perm);
        }
        for (int j = 0; j < n; j++) {
            if (used[j] || !close(reported[position], recomputed[j], tolerance)) {
                continue;
            }
            used[j] = true;
            perm[position] = j;
            if (searchFrom(position + 1, reported, recomputed, tolerance, perm, used)) {
                return true;
            }
            used[j] = false;
        }
        return false;
    }

    private static int[] matchBySorting(double[] reported, double[] recomputed, DoubleUnaryOperator tolerance) {
        int n = reported.length;
        Integer[] byReported = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Integer[] byRecomputed = byReported.clone();
        Arrays.sort(byReported, Comparator.comparingDouble(i -> reported[i]));
        Arrays.sort(byRecomputed, Comparator.comparingDouble(i -> recomputed[i]));

        int[] perm = new int[n];
        for (int k = 0; k < n; k++) {
            perm[byReported[k]] = byRecomputed[k];
        }
        if (isIdentity(perm) || !fits(reported, recomputed, perm, tolerance)) {
            return null;
        }
        return perm;
    }

    private static boolean fits(double[] reported, double[] recomputed, int[] perm, DoubleUnaryOperator tolerance) {
        for (int i = 0; i < reported.length; i++) {
            if (!close(reported[i], recomputed[perm[i]], tolerance)) {
                return false;
            }
        }
        return true;
    }

    private static boolean close(double reported, double expected, DoubleUnaryOperator tolerance) {
        return Math.abs(reported - expected) <= tolerance.applyAsDouble(expected);
    }

    private static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }
}
