package io.probity.drift;

/** Survival functions of the chi-square and Kolmogorov distributions, for drift p-values. */
final class SpecialFunctions {

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    private static final int MAX_TERMS = 1000;
    private static final double CONVERGENCE = 1e-16;

    private SpecialFunctions() {
    }

    /** Returns {@code ln Gamma(x)} for {@code x > 0} by the Lanczos approximation (g = 7), relative error about 1e-15. */
    static double logGamma(double x) {
        if (x < 0.5) {
            // Reflection formula, Gamma(x) Gamma(1 - x) = pi / sin(pi x).
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double shifted = x - 1;
        double series = LANCZOS[0];
        double t = shifted + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            series += LANCZOS[i] / (shifted + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
    }

    /**
     * Returns the regularised upper incomplete gamma function {@code Q(a, x)}, by the power series of
     * {@code P = 1 - Q} for {@code x < a + 1} and by Lentz's continued fraction otherwise
     * (the method of Press et al., "Numerical Recipes").
     */
    static double regularizedGammaQ(double a, double x) {
        if (x <= 0) {
            return 1.0;
        }
        if (Double.isInfinite(x)) {
            return 0.0;
        }
        double logPrefactor = a * Math.log(x) - x - logGamma(a);
        if (x < a + 1) {
            double term = 1.0 / a;
            double sum = term;
            for (int n = 1; n < MAX_TERMS; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * CONVERGENCE) {
                    break;
                }
            }
            return 1.0 - sum * Math.exp(logPrefactor);
        }
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double fraction = d;
        for (int n = 1; n < MAX_TERMS; n++) {
            double an = -n * (n - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            fraction *= delta;
            if (Math.abs(delta - 1) < CONVERGENCE) {
                break;
            }
        }
        return Math.exp(logPrefactor) * fraction;
    }

    /** Returns {@code P(X > x)} for a chi-square variable with {@code degreesOfFreedom}, as {@code scipy.stats.chi2.sf}. */
    static double chiSquareSurvival(double x, int degreesOfFreedom) {
        return regularizedGammaQ(degreesOfFreedom / 2.0, x / 2.0);
    }

    /**
     * Returns the Kolmogorov survival function {@code Q(z) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 z^2)},
     * the limit distribution of {@code sqrt(n) D} ({@code scipy.stats.kstwobign.sf}). Below z = 1 it
     * uses the dual series {@code 1 - sqrt(2 pi)/z sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 z^2))}, which
     * converges faster there.
     */
    static double kolmogorovSurvival(double z) {
        if (!(z > 0)) {
            return 1.0;
        }
        if (z < 1.0) {
            double sum = 0.0;
            for (int k = 1; k < MAX_TERMS; k++) {
                double odd = 2 * k - 1;
                double term = Math.exp(-odd * odd * Math.PI * Math.PI / (8 * z * z));
                sum += term;
                if (term < sum * CONVERGENCE) {
                    break;
                }
            }
            return 1.0 - Math.sqrt(2 * Math.PI) / z * sum;
        }
        double sum = 0.0;
        for (int k = 1; k < MAX_TERMS; k++) {
            double term = Math.exp(-2.0 * k * k * z * z);
            sum += (k % 2 == 1 ? term : -term);
            if (term < Math.abs(sum) * CONVERGENCE) {
                break;
            }
        }
        return Math.max(0.0, Math.min(1.0, 2 * sum));
    }
}
