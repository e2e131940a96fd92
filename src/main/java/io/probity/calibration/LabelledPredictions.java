package io.probity.calibration;

import java.util.Arrays;

/**
 * An immutable, validated batch of predictions with their true labels and optional weights.
 *
 * <p>Each row is one prediction: a probability vector over {@code K} classes (all rows have the
 * same {@code K}), the true class index in {@code [0, K)}, and a weight. Weights are for
 * inverse-probability weighting of a review sample: every statistic becomes a weighted count or a
 * weighted mean. Without weights each row weighs 1.
 *
 * <p>Validation rejects, and never skips, NaN or out-of-range probabilities, negative or non-finite
 * weights and out-of-range labels, with an {@link IllegalArgumentException} naming the row. The
 * vectors need not sum to exactly 1, because float32 serialisation breaks that by about 1e-7.
 */
public final class LabelledPredictions {

    private final double[][] probabilities;
    private final int[] labels;
    private final double[] weights;
    private final int classCount;

    private LabelledPredictions(double[][] probabilities, int[] labels, double[] weights) {
        this.probabilities = probabilities;
        this.labels = labels;
        this.weights = weights;
        this.classCount = probabilities.length == 0 ? 0 : probabilities[0].length;
    }

    /** Creates an unweighted batch from copies of the arrays. */
    public static LabelledPredictions of(double[][] probabilities, int[] labels) {
        return weighted(probabilities, labels, null);
    }

    /**
     * Creates a weighted batch from copies of the arrays.
     *
     * @param weights one finite weight {@code >= 0} per row, or {@code null} for weight 1 everywhere
     */
    public static LabelledPredictions weighted(double[][] probabilities, int[] labels, double[] weights) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException("probabilities has " + probabilities.length
                    + " rows but labels has " + labels.length);
        }
        if (weights != null && weights.length != labels.length) {
            throw new IllegalArgumentException("weights has " + weights.length + " entries but there are "
                    + labels.length + " predictions");
        }
        double[][] copy = new double[probabilities.length][];
        for (int i = 0; i < probabilities.length; i++) {
            ProbabilityVectors.requireValid(probabilities[i], i);
            if (probabilities[i].length != probabilities[0].length) {
                throw new IllegalArgumentException("probabilities[" + i + "] has " + probabilities[i].length
                        + " classes but probabilities[0] has " + probabilities[0].length);
            }
            if (labels[i] < 0 || labels[i] >= probabilities[i].length) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is not a class index in [0, "
                        + probabilities[i].length + ")");
            }
            if (weights != null && !(weights[i] >= 0.0 && weights[i] < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("weights[" + i + "] = " + weights[i] + " is not finite and >= 0");
            }
            copy[i] = probabilities[i].clone();
        }
        return new LabelledPredictions(copy, labels.clone(), weights == null ? null : weights.clone());
    }

    /**
     * Creates an unweighted batch from logits, taking {@link ProbabilityVectors#softmax(double[])}
     * of each row.
     */
    public static LabelledPredictions fromLogits(double[][] logits, int[] labels) {
        double[][] probabilities = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = ProbabilityVectors.softmax(logits[i]);
        }
        return of(probabilities, labels);
    }

    /** Returns the number of predictions. */
    public int size() {
        return labels.length;
    }

    /** Returns K, the length of each probability vector, or 0 for an empty batch. */
    public int classCount() {
        return classCount;
    }

    /** Returns whether weights were given. */
    public boolean isWeighted() {
        return weights != null;
    }

    /** Returns a copy of row {@code i}'s probability vector. */
    public double[] probabilities(int i) {
        return probabilities[i].clone();
    }

    /** Returns probability {@code p_ik} without copying the row. */
    public double probability(int i, int k) {
        return probabilities[i][k];
    }

    /** Returns the true class index of row {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Returns the weight of row {@code i}, 1 in an unweighted batch. */
    public double weight(int i) {
        return weights == null ? 1.0 : weights[i];
    }

    /** Returns the predicted class of row {@code i}, the argmax of its probabilities. */
    public int predictedClass(int i) {
        return ProbabilityVectors.argmax(probabilities[i]);
    }

    /** Returns the top-label confidence of row {@code i}. */
    public double confidence(int i) {
        return probabilities[i][predictedClass(i)];
    }

    /** Returns whether row {@code i}'s predicted class equals its label. */
    public boolean isCorrect(int i) {
        return predictedClass(i) == labels[i];
    }

    /** Returns the top-label confidences of all rows. */
    public double[] confidences() {
        double[] result = new double[size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = confidence(i);
        }
        return result;
    }

    /** Returns rows {@code from} (inclusive) to {@code to} (exclusive) as a new batch. */
    public LabelledPredictions slice(int from, int to) {
        return new LabelledPredictions(Arrays.copyOfRange(probabilities, from, to),
                Arrays.copyOfRange(labels, from, to),
                weights == null ? null : Arrays.copyOfRange(weights, from, to));
    }

    /** Returns the rows at {@code indices}, repeats allowed, sharing the immutable row vectors. */
    LabelledPredictions select(int[] indices) {
        double[][] rows = new double[indices.length][];
        int[] selectedLabels = new int[indices.length];
        double[] selectedWeights = weights == null ? null : new double[indices.length];
        for (int j = 0; j < indices.length; j++) {
            rows[j] = probabilities[indices[j]];
            selectedLabels[j] = labels[indices[j]];
            if (selectedWeights != null) {
                selectedWeights[j] = weights[indices[j]];
            }
        }
        return new LabelledPredictions(rows, selectedLabels, selectedWeights);
    }
}
