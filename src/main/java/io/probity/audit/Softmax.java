package io.probity.audit;

/** Temporary stand-in until the audit branch lands. */
public final class Softmax {
    private Softmax() {
    }

    public static double[] softmax(double[] logits, double temperature) {
        double[] out = new double[logits.length];
        softmaxInto(logits, temperature, out);
        return out;
    }

    public static void softmaxInto(double[] logits, double temperature, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            out[i] = Math.exp((logits[i] - max) / temperature);
            sum += out[i];
        }
        for (int i = 0; i < logits.length; i++) {
            out[i] /= sum;
        }
    }
}
