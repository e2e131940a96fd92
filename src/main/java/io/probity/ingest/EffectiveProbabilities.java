package io.probity.ingest;

import io.probity.audit.Softmax;

/**
 * Chooses the probability vector that calibration, histograms and review routing use for a
 * prediction: {@code softmax(logits / temperature)} with the record's declared temperature when
 * every logit is finite, otherwise the reported probabilities when they are all finite,
 * otherwise none.
 */
public final class EffectiveProbabilities {

    private EffectiveProbabilities() {
    }

    /** Returns the effective vector, or null when the record has no finite vector. */
    public static double[] of(double[] logits, double[] reported, double temperature) {
        if (logits != null && VectorSummary.allFinite(logits)) {
            double[] recomputed = Softmax.softmax(logits, temperature);
            if (VectorSummary.allFinite(recomputed)) {
                return recomputed;
            }
        }
        if (reported != null && VectorSummary.allFinite(reported)) {
            return reported;
        }
        return null;
    }
}
