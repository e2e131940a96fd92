package io.probity.audit;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Known serving faults, each a transformation of the logits that the audit tries when the reported values do
 * not match {@code softmax(logits / T)}. {@link #find} tries them from the most to the least specific and
 * returns the first that reproduces every reported value within {@link ToleranceModel#faultTolerance}.
 */
final class Transformations {

    /** Relative closeness of an implied temperature to T^2, 1 or 1/T for naming how the temperature went wrong. */
    private static final double TEMPERATURE_RELATION_TOLERANCE = 1e-3;

    /** A transformation that reproduces the reported values. */
    record Fit(List<String> causes, double impliedTemperature, int[] permutation, String explanation) {

        static Fit of(String cause, String explanation) {
            return new Fit(List.of(cause), Double.NaN, null, explanation);
        }
    }

    private final double[] logits;
    private final double[] reported;
    private final double[] recomputed;
    private final double temperature;
    private final ToleranceModel tolerance;
    private final int n;

    private Transformations(double[] logits, double[] reported, double[] recomputed, double temperature,
            ToleranceModel tolerance) {
        this.logits = logits;
        this.reported = reported;
        this.recomputed = recomputed;
        this.temperature = temperature;
        this.tolerance = tolerance;
        this.n = logits.length;
    }

    /** Returns the first transformation of finite logits that reproduces the finite reported values, or null. */
    static Fit find(double[] logits, double[] reported, double[] recomputed, double temperature, ToleranceModel tolerance) {
        Transformations search = new Transformations(logits, reported, recomputed, temperature, tolerance);
        List<Supplier<Fit>> candidates = List.of(search::temperature, search::classOrder, search::sigmoid,
                search::logProbabilities, search::logitsAsProbabilities, search::doubleSoftmax, search::percent,
                () -> wrongAxis(reported), search::oneHot, search::truncatedOrSubset, search::unnormalised);

        for (Supplier<Fit> candidate : candidates) {
            Fit fit = candidate.get();
            if (fit != null) {
                return fit;
            }
        }
        return null;
    }

    /**
     * Estimates the temperature T' from {@code ln r_i - ln r_j = (z_i - z_j) / T'} by weighted least squares.
     * Over all pairs this equals the centred regression of {@code ln r_i} on {@code z_i}, with slope 1 / T'.
     * Each point is weighted by {@code (r_i / tolerance(r_i))^2}, the inverse variance of {@code ln r_i}, so
     * values that carry few significant digits (small rounded or subnormal values) count less. Zeros are
     * left out. On exact data the slope is exact up to float64 rounding.
     */
    static double impliedTemperature(double[] logits, double[] reported, ToleranceModel tolerance) {
        double weightSum = 0;
        double meanX = 0;
        double meanY = 0;
        int points = 0;
        double[] weights = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            double r = reported[i];
            if (!(r > 0)) {
                continue;
            }
            double relative = tolerance.faultTolerance(r) / r;
            double w = 1 / (relative * relative);
            weights[i] = w;
            weightSum += w;
            meanX += w * logits[i];
            meanY += w * Math.log(r);
            points++;
        }
        if (points < 2) {
            return Double.NaN;
        }
        meanX /= weightSum;
        meanY /= weightSum;

        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < logits.length; i++) {
            if (weights[i] == 0) {
                continue;
            }
            double dx = logits[i] - meanX;
            sxx += weights[i] * dx * dx;
            sxy += weights[i] * dx * (Math.log(reported[i]) - meanY);
        }
        double slope = sxy / sxx;
        if (!(slope > 0) || Double.isInfinite(slope)) {
            return Double.NaN;
        }
        return 1 / slope;
    }

    private Fit temperature() {
        double implied = impliedTemperature(logits, reported, tolerance);
        if (Double.isNaN(implied) || Math.abs(implied / temperature - 1) < 1e-9) {
            return null;
        }
        double[] expected = Softmax.softmax(logits, implied);
        for (int i = 0; i < n; i++) {
            if (Math.abs(reported[i] - expected[i]) > tolerance.faultTolerance(expected[i], implied)) {
                return null;
            }
        }

        String impliedText = formatTemperature(implied);
        String declaredText = formatTemperature(temperature);
        if (temperature != 1.0 && near(implied, temperature * temperature)) {
            return new Fit(List.of(AuditCauses.TEMPERATURE, AuditCauses.TEMPERATURE_TWICE), implied, null,
                    "Reported values equal a softmax at temperature " + impliedText + ", the square of the declared "
                            + declaredText + ", so the temperature was applied twice.");
        }
        String explanation;
        if (temperature != 1.0 && near(implied, 1.0)) {
            explanation = "Reported values equal a softmax at temperature " + impliedText + ", so the declared temperature "
                    + declaredText + " was not applied.";
        } else if (temperature != 1.0 && near(implied, 1 / temperature)) {
            explanation = "Reported values equal a softmax at temperature " + impliedText + ", the reciprocal of the declared "
                    + declaredText + ", so the logits were multiplied by the temperature instead of divided by it.";
        } else {
            explanation = "Reported values equal a softmax at temperature " + impliedText
                    + ", but the declared temperature is " + declaredText + ".";
        }
        return new Fit(List.of(AuditCauses.TEMPERATURE), implied, null, explanation);
    }

    private Fit classOrder() {
        int[] perm = ClassOrder.find(reported, recomputed, q -> tolerance.faultTolerance(q));
        if (perm == null) {
            return null;
        }
        int shift = ClassOrder.rotation(perm);
        // A shift by k of n classes is also a shift by k - n, so name the shorter one.
        int signedShift = shift > n / 2 ? shift - n : shift;
        String explanation;
        if (signedShift != 0) {
            int size = Math.abs(signedShift);
            explanation = String.format(Locale.ROOT, "Reported values equal the recomputation shifted by %s, an "
                    + "off-by-%s error in the class list: position i holds the probability of class i %s %d (mod %d).",
                    size == 1 ? "one class" : size + " classes", size == 1 ? "one" : String.valueOf(size),
                    signedShift > 0 ? "+" : "-", size, n);
        } else {
            explanation = "Reported values equal the recomputation in another class order: reported position i "
                    + "holds recomputed class perm[i], with perm = " + formatPermutation(perm) + ".";
        }
        return new Fit(List.of(AuditCauses.CLASS_ORDER), Double.NaN, perm, explanation);
    }

    private Fit sigmoid() {
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = sigmoid(logits[i] / temperature);
        }
        if (!matches(expected)) {
            if (temperature == 1.0) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                expected[i] = sigmoid(logits[i]);
            }
            if (!matches(expected)) {
                return null;
            }
        }
        return Fit.of(AuditCauses.SIGMOID, "Reported values equal an element-wise sigmoid of the logits instead of a "
                + "softmax, so they are not a distribution over the classes.");
    }

    private Fit logProbabilities() {
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (double z : logits) {
            sum += Math.exp((z - max) / temperature);
        }
        double logSum = Math.log(sum);
        double slack = tolerance.relativeFaultTolerance();
        for (int i = 0; i < n; i++) {
            double expected = (logits[i] - max) / temperature - logSum;
            if (Math.abs(reported[i] - expected) > tolerance.faultTolerance(expected) + slack) {
                return null;
            }
        }
        return Fit.of(AuditCauses.LOG_PROBABILITIES, "Reported values equal log_softmax of the logits: "
                + "log-probabilities were sent instead of probabilities.");
    }

    private Fit logitsAsProbabilities() {
        double slack = tolerance.hasOverride ? 0 : tolerance.logitHalfUnit;
        boolean raw = true;
        boolean scaled = temperature != 1.0;
        for (int i = 0; i < n; i++) {
            double r = reported[i];
            raw &= Math.abs(r - logits[i]) <= tolerance.faultTolerance(logits[i]) + slack;
            double divided = logits[i] / temperature;
            scaled &= Math.abs(r - divided) <= tolerance.faultTolerance(divided) + slack;
        }
        if (!raw && !scaled) {
            return null;
        }
        return Fit.of(AuditCauses.LOGITS_AS_PROBABILITIES, "Reported values equal the logits"
                + (raw ? "" : " divided by the temperature") + ": the softmax was never applied.");
    }

    private Fit doubleSoftmax() {
        double[] expected = Softmax.softmax(recomputed, 1.0);
        if (!matches(expected)) {
            return null;
        }
        return Fit.of(AuditCauses.DOUBLE_SOFTMAX, "Reported values equal a softmax applied to the probabilities: "
                + "the softmax was taken twice, which pulls every value towards 1/" + n + ".");
    }

    private Fit percent() {
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = 100 * recomputed[i];
        }
        if (!matches(expected)) {
            return null;
        }
        return Fit.of(AuditCauses.PERCENT, "Reported values equal the probabilities times 100: percentages were sent "
                + "instead of probabilities.");
    }

    /** Returns a fit when every value is 1, which the reported-only audit also checks. */
    static Fit wrongAxis(double[] values) {
        if (values.length < 2) {
            return null;
        }
        for (double r : values) {
            if (r != 1.0) {
                return null;
            }
        }
        return Fit.of(AuditCauses.WRONG_AXIS, "Every reported value is 1, which is what a softmax over the batch axis "
                + "of a batch of one returns: the softmax was taken over the wrong axis.");
    }

    private Fit oneHot() {
        int hot = oneHotIndex(reported);
        if (hot < 0) {
            return null;
        }
        int top = argmax(recomputed);
        String where = hot == top ? "the most probable class " + hot
                : "class " + hot + ", although class " + top + " is the most probable";
        return Fit.of(AuditCauses.ONE_HOT, "Reported values are a one-hot vector at " + where
                + ": hard labels were sent instead of probabilities (the recomputed maximum is "
                + format(recomputed[top]) + ").");
    }

    /** Returns the index of the single 1 when the values are 1 at one index and 0 elsewhere, else -1. */
    static int oneHotIndex(double[] values) {
        if (values.length < 2) {
            return -1;
        }
        int hot = -1;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == 1.0 && hot < 0) {
                hot = i;
            } else if (values[i] != 0.0) {
                return -1;
            }
        }
        return hot;
    }

    /**
     * Tries the two faults that zero some classes: {@code truncated} keeps the other recomputed values as
     * they are, {@code subset} renormalises them to sum to 1. At least one zeroed class must have a
     * recomputed value above its tolerance, or the zero would be a plain underflow.
     */
    private Fit truncatedOrSubset() {
        int keptCount = 0;
        boolean zeroedVisible = false;
        double keptSum = 0;
        for (int i = 0; i < n; i++) {
            if (reported[i] != 0.0) {
                keptCount++;
                keptSum += recomputed[i];
            } else if (recomputed[i] > tolerance.faultTolerance(recomputed[i])) {
                zeroedVisible = true;
            }
        }
        if (keptCount == 0 || keptCount == n || !zeroedVisible) {
            return null;
        }

        boolean truncated = true;
        boolean subset = keptSum > 0;
        for (int i = 0; i < n; i++) {
            if (reported[i] == 0.0) {
                continue;
            }
            double renormalised = recomputed[i] / keptSum;
            truncated &= Math.abs(reported[i] - recomputed[i]) <= tolerance.faultTolerance(recomputed[i]);
            subset &= Math.abs(reported[i] - renormalised) <= tolerance.faultTolerance(renormalised);
        }

        String keptClasses = keepsTopK(keptCount) ? "the " + keptCount + " largest probabilities"
                : keptCount + " of the " + n + " probabilities";
        if (truncated) {
            return Fit.of(AuditCauses.TRUNCATED, "Reported values keep " + keptClasses + " and set the others to 0.");
        }
        if (subset) {
            return Fit.of(AuditCauses.SUBSET, "Reported values are a softmax over only " + keptCount + " of the " + n
                    + " classes, renormalised to sum to 1, with 0 for the others.");
        }
        return null;
    }

    /** Returns true when the nonzero reported classes are the k most probable recomputed classes. */
    private boolean keepsTopK(int k) {
        double smallestKept = Double.POSITIVE_INFINITY;
        double largestZeroed = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (reported[i] != 0.0) {
                smallestKept = Math.min(smallestKept, recomputed[i]);
            } else {
                largestZeroed = Math.max(largestZeroed, recomputed[i]);
            }
        }
        return k > 0 && smallestKept >= largestZeroed;
    }

    private Fit unnormalised() {
        double factor = sum(reported);
        if (!(factor > 0) || Math.abs(factor - 1) <= tolerance.sumTolerance(reported, 1.0)) {
            return null;
        }
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = factor * recomputed[i];
        }
        if (!matches(expected)) {
            return null;
        }
        return Fit.of(AuditCauses.UNNORMALISED, "Reported values are the probabilities times " + format(factor)
                + ": the ratios between classes are right but the values were not divided by their sum.");
    }

    private boolean matches(double[] expected) {
        for (int i = 0; i < n; i++) {
            if (Math.abs(reported[i] - expected[i]) > tolerance.faultTolerance(expected[i])) {
                return false;
            }
        }
        return true;
    }

    private boolean near(double value, double target) {
        return Math.abs(value / target - 1) <= TEMPERATURE_RELATION_TOLERANCE;
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    /** Returns the first index of the maximum. */
    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Formats a temperature with two decimals, or three significant digits below 0.1. */
    static String formatTemperature(double t) {
        return t >= 0.1 ? String.format(Locale.ROOT, "%.2f", t) : String.format(Locale.ROOT, "%.3g", t);
    }

    /** Formats a value with four significant digits. */
    static String format(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static String formatPermutation(int[] perm) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < perm.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(perm[i]);
        }
        return text.append(']').toString();
    }
}
