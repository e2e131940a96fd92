package io.probity.audit;

/**
 * Number formats that serving code sends probabilities in, and the rounding of each.
 *
 * <p>Unit roundoff u is half the distance from 1 to the next value: float64 2^-53, float32 2^-24,
 * float16 2^-11 and bfloat16 2^-8 (IEEE 754-2008 binary64, binary32 and binary16, and Google's bfloat16,
 * which keeps the float32 exponent with 8 significand bits). Rounding a value x to a format moves it by
 * at most {@code u * |x|} in the normal range. Below the smallest normal value the audit allows an
 * absolute error of that smallest normal value, because GPUs often flush subnormal results to zero.
 */
final class Precision {

    static final double UNIT_ROUNDOFF_FLOAT64 = 0x1p-53;
    static final double UNIT_ROUNDOFF_FLOAT32 = 0x1p-24;
    static final double UNIT_ROUNDOFF_FLOAT16 = 0x1p-11;
    static final double UNIT_ROUNDOFF_BFLOAT16 = 0x1p-8;

    static final double MIN_NORMAL_FLOAT64 = Double.MIN_NORMAL;
    static final double MIN_NORMAL_FLOAT32 = 0x1p-126;
    static final double MIN_NORMAL_FLOAT16 = 0x1p-14;
    static final double MIN_NORMAL_BFLOAT16 = 0x1p-126;

    static final double MAX_FLOAT16 = 65504.0;
    static final double MAX_BFLOAT16 = 0x1.fep127;

    /** Largest number of decimals the audit recognises as a rounding; more decimals count as full precision. */
    static final int MAX_DECIMALS = 12;

    private static final double[] POWERS_OF_TEN = new double[MAX_DECIMALS + 1];

    static {
        double power = 1;
        for (int d = 0; d <= MAX_DECIMALS; d++) {
            POWERS_OF_TEN[d] = power;
            power *= 10;
        }
    }

    private Precision() {
    }

    /** Returns true when x survives a float32 round trip. */
    static boolean isFloat32(double x) {
        return (double) (float) x == x;
    }

    /**
     * Returns true when x is the value of the text {@code Float.toString((float) x)}, which is how Java and
     * Jackson write a float32 field. Such values are decimal renderings of float32 values, not float32
     * values themselves.
     */
    // NOTE: JDK 17's Float.toString sometimes prints a digit more than the shortest text (fixed in JDK 19),
    // so text from a shortest-digits writer can miss this check and be judged as decimals instead.
    static boolean isFloat32Text(double x) {
        return Double.parseDouble(Float.toString((float) x)) == x;
    }

    /**
     * Returns the smallest d in 0..{@link #MAX_DECIMALS} such that x has at most d decimals, or -1. A value
     * has d decimals when it is the double nearest to an integer divided by 10^d.
     */
    static int decimals(double x) {
        for (int d = 0; d <= MAX_DECIMALS; d++) {
            double scale = POWERS_OF_TEN[d];
            if (Math.rint(x * scale) / scale == x) {
                return d;
            }
        }
        return -1;
    }

    /** Returns half a unit of the d-th decimal, {@code 0.5 * 10^-d}. */
    static double halfUnitOfDecimal(int d) {
        return 0.5 / POWERS_OF_TEN[d];
    }

    /** Rounds x to the nearest float16 value (ties to even), with subnormals; beyond 65504 it returns an infinity. */
    static double roundToFloat16(double x) {
        return roundToBinary(x, 11, -14, MAX_FLOAT16);
    }

    /** Rounds x to the nearest bfloat16 value (ties to even), with subnormals. */
    static double roundToBfloat16(double x) {
        return roundToBinary(x, 8, -126, MAX_BFLOAT16);
    }

    /**
     * Rounds x to a binary format with {@code precisionBits} significand bits (the implicit bit included)
     * and smallest normal exponent {@code minExponent}.
     */
    private static double roundToBinary(double x, int precisionBits, int minExponent, double maxFinite) {
        if (x == 0 || !Double.isFinite(x)) {
            return x;
        }
        int exponent = Math.max(Math.getExponent(x), minExponent);
        double quantum = Math.scalb(1.0, exponent - (precisionBits - 1));
        // Dividing by a power of two is exact here, so rint rounds the exact value, ties to even.
        double rounded = Math.rint(x / quantum) * quantum;
        if (Math.abs(rounded) > maxFinite) {
            return Math.copySign(Double.POSITIVE_INFINITY, x);
        }
        return rounded;
    }
}
