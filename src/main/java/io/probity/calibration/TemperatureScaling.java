package io.probity.calibration;

import java.util.List;

/**
 * Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks"): the single
 * {@code T > 0} that minimises the weighted mean NLL of {@code softmax(z / T)} on labelled logits.
 *
 * <p>With {@code beta = 1/T}, {@code NLL(beta) = mean_i [logsumexp(beta z_i) - beta z_iy]} is
 * convex, because its second derivative is the mean variance of the logits under
 * {@code softmax(beta z)}. The fit runs Newton's method on {@code beta}, kept inside a bracket
 * that shrinks on the sign of the derivative, with bisection whenever a Newton step leaves it. It
 * stops when a step changes {@code beta} by less than {@link #RELATIVE_TOLERANCE} of its value, so
 * the returned {@code T} is accurate to well within the 1e-6 that the tests require against
 * {@code scipy.optimize.minimize_scalar}. {@code T} is confined to
 * [{@link #MIN_TEMPERATURE}, {@link #MAX_TEMPERATURE}]: when the optimum lies outside, for example
 * on perfectly separated data where it tends to 0, the nearer bound is returned.
 */
public final class TemperatureScaling {

    /** The smallest temperature returned. */
    public static final double MIN_TEMPERATURE = 0.01;

    /** The largest temperature returned. */
    public static final double MAX_TEMPERATURE = 100.0;

    /** The convergence threshold on {@code |delta beta| / beta}. */
    public static final double RELATIVE_TOLERANCE = 1e-12;

    private static final int MAX_ITERATIONS = 200;

    /**
     * A fitted temperature with calibration before ({@code T = 1}) and after scaling.
     *
     * @param temperature the fitted {@code T}
     * @param eceBefore equal-width top-label ECE of {@code softmax(z)}
     * @param eceAfter equal-width top-label ECE of {@code softmax(z / T)}
     * @param nllBefore NLL of {@code softmax(z)}, as {@link CalibrationMetrics#nll}
     * @param nllAfter NLL of {@code softmax(z / T)}
     * @param reliabilityAfter the equal-width reliability diagram of {@code softmax(z / T)}
     */
    public record Result(double temperature, double eceBefore, double eceAfter, double nllBefore, double nllAfter,
            List<ReliabilityBin> reliabilityAfter) {
    }

    private TemperatureScaling() {
    }

    /**
     * Fits {@code T} on unweighted logits and reports calibration with {@code bins} equal-width bins.
     *
     * @see #fit(double[][], int[], double[], int)
     */
    public static Result fit(double[][] logits, int[] labels, int bins) {
        return fit(logits, labels, null, bins);
    }

    /**
     * Fits {@code T} and reports ECE, NLL and the reliability diagram before and after.
     *
     * @param logits one finite logit vector per prediction, all of length K
     * @param labels the true class indices
     * @param weights one weight {@code >= 0} per prediction, or {@code null} for 1
     * @param bins the number of equal-width bins for ECE and the diagram
     * @throws IllegalArgumentException if the input is empty, has total weight 0 or is invalid
     */
    public static Result fit(double[][] logits, int[] labels, double[] weights, int bins) {
        double temperature = fitTemperature(logits, labels, weights);
        LabelledPredictions before = LabelledPredictions.weighted(apply(logits, 1.0), labels, weights);
        LabelledPredictions after = LabelledPredictions.weighted(apply(logits, temperature), labels, weights);
        ReliabilityAccumulator afterSums = ReliabilityAccumulator.of(after, bins);
        return new Result(temperature, CalibrationMetrics.ece(before, bins), afterSums.ece(),
                CalibrationMetrics.nll(before), afterSums.nll(), afterSums.reliabilityDiagram());
    }

    /** Returns {@code softmax(z_i / T)} for every row. */
    public static double[][] apply(double[][] logits, double temperature) {
        double[][] probabilities = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = ProbabilityVectors.softmax(logits[i], temperature);
        }
        return probabilities;
    }

    /**
     * Returns the temperature minimising the weighted NLL, as described on the class.
     *
     * @throws IllegalArgumentException if the input is empty, has total weight 0 or is invalid
     */
    public static double fitTemperature(double[][] logits, int[] labels, double[] weights) {
        validate(logits, labels, weights);
        double low = 1.0 / MAX_TEMPERATURE;
        double high = 1.0 / MIN_TEMPERATURE;
        if (derivatives(logits, labels, weights, low)[0] >= 0) {
            return MAX_TEMPERATURE;
        }
        if (derivatives(logits, labels, weights, high)[0] <= 0) {
            return MIN_TEMPERATURE;
        }
        double beta = 1.0;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] d = derivatives(logits, labels, weights, beta);
            if (d[0] > 0) {
                high = beta;
            } else if (d[0] < 0) {
                low = beta;
            } else {
                break;
            }
            double next = d[1] > 0 ? beta - d[0] / d[1] : Double.NaN;
            if (!(next > low && next < high)) {
                next = 0.5 * (low + high);
            }
            boolean converged = Math.abs(next - beta) <= RELATIVE_TOLERANCE * beta;
            beta = next;
            if (converged || high - low <= RELATIVE_TOLERANCE * beta) {
                break;
            }
        }
        return 1.0 / beta;
    }

    /**
     * Returns the first and second derivative of the weighted mean NLL at {@code beta}:
     * {@code mean_i [E_p z_i - z_iy]} and {@code mean_i Var_p z_i} with {@code p = softmax(beta z_i)}.
     */
    private static double[] derivatives(double[][] logits, int[] labels, double[] weights, double beta) {
        double first = 0.0;
        double second = 0.0;
        double totalWeight = 0.0;
        for (int i = 0; i < logits.length; i++) {
            double w = weights == null ? 1.0 : weights[i];
            if (w == 0) {
                continue;
            }
            double[] p = ProbabilityVectors.softmax(logits[i], 1.0 / beta);
            double mean = 0.0;
            for (int k = 0; k < p.length; k++) {
                mean += p[k] * logits[i][k];
            }
            double variance = 0.0;
            for (int k = 0; k < p.length; k++) {
                double deviation = logits[i][k] - mean;
                variance += p[k] * deviation * deviation;
            }
            first += w * (mean - logits[i][labels[i]]);
            second += w * variance;
            totalWeight += w;
        }
        return new double[] {first / totalWeight, second / totalWeight};
    }

    private static void validate(double[][] logits, int[] labels, double[] weights) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("temperature scaling needs at least one labelled prediction");
        }
        if (labels.length != logits.length || (weights != null && weights.length != logits.length)) {
            throw new IllegalArgumentException("logits, labels and weights must have the same length, got "
                    + logits.length + ", " + labels.length + " and " + (weights == null ? "null" : weights.length));
        }
        double totalWeight = 0.0;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i].length != logits[0].length) {
                throw new IllegalArgumentException("logits[" + i + "] has " + logits[i].length
                        + " classes but logits[0] has " + logits[0].length);
            }
            for (int k = 0; k < logits[i].length; k++) {
                if (!Double.isFinite(logits[i][k])) {
                    throw new IllegalArgumentException("logits[" + i + "][" + k + "] is not finite: " + logits[i][k]);
                }
            }
            if (labels[i] < 0 || labels[i] >= logits[i].length) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is not a class index");
            }
            double w = weights == null ? 1.0 : weights[i];
            if (!(w >= 0 && w < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("weights[" + i + "] = " + w + " is not finite and >= 0");
            }
            totalWeight += w;
        }
        if (!(totalWeight > 0)) {
            throw new IllegalArgumentException("temperature scaling needs a total weight > 0");
        }
    }
}
