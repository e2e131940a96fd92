package io.probity.audit;

import java.util.Arrays;

/**
 * Numerically stable softmax in float64.
 *
 * <p>Computes {@code p_i = exp((z_i - max_j z_j) / T) / sum_k exp((z_k - max_j z_j) / T)}. This equals
 * {@code softmax(z / T)} because a softmax does not change when the same constant is subtracted from
 * every logit. Subtracting the maximum first keeps every exponent at or below 0, so {@code exp} cannot
 * overflow and the largest term is exactly 1, which also keeps the sum at least 1.
 *
 * <p>Accuracy: {@link Math#exp} is within 1 ulp, and the rounding of the exponent argument adds a
 * relative error of about {@code 2^-53 * |z_i - max z| / T} to entry {@code i}. Entries whose exact
 * value is below about {@code 4.9e-324} underflow to 0.
 */
public final class Softmax {

    private Softmax() {
    }

    /**
     * Computes {@code softmax(logits / temperature)} in float64, subtracting the maximum logit first.
     * Non-finite input (NaN, +Infinity or -Infinity in any logit) returns an array of NaN.
     *
     * @param logits      the logits, any length including 0
     * @param temperature the temperature T, finite and greater than 0
     * @return a new array of the same length as {@code logits}
     * @throws IllegalArgumentException if the temperature is not finite and positive
     */
    public static double[] softmax(double[] logits, double temperature) {
        double[] out = new double[logits.length];
        softmaxInto(logits, temperature, out);
        return out;
    }

    /**
     * Computes {@code softmax(logits / temperature)} into {@code out} without allocating. Writes NaN to
     * every entry when a logit is not finite.
     *
     * @param out an array of the same length as {@code logits}; it may be {@code logits} itself
     * @throws IllegalArgumentException if the temperature is not finite and positive, or the lengths differ
     */
    public static void softmaxInto(double[] logits, double temperature, double[] out) {
        checkTemperature(temperature);
        int n = logits.length;
        if (out.length != n) {
            throw new IllegalArgumentException("out has length " + out.length + " but logits have length " + n
                    + "; pass an output array of the same length");
        }
        if (n == 0) {
            return;
        }

        double max = Double.NEGATIVE_INFINITY;
        boolean finite = true;
        for (int i = 0; i < n; i++) {
            double z = logits[i];
            // z - z is 0 for a finite z and NaN for NaN or an infinity.
            if (z - z != 0) {
                finite = false;
            }
            if (z > max) {
                max = z;
            }
        }
        if (!finite) {
            Arrays.fill(out, Double.NaN);
            return;
        }

        double sum = 0;
        if (temperature == 1.0) {
            for (int i = 0; i < n; i++) {
                double e = Math.exp(logits[i] - max);
                out[i] = e;
                sum += e;
            }
        } else {
            for (int i = 0; i < n; i++) {
                double e = Math.exp((logits[i] - max) / temperature);
                out[i] = e;
                sum += e;
            }
        }

        for (int i = 0; i < n; i++) {
            out[i] /= sum;
        }
    }

    static void checkTemperature(double temperature) {
        if (!(temperature > 0) || temperature == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(
                    "temperature must be finite and greater than 0, but is " + temperature);
        }
    }
}
