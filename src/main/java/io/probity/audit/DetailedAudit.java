package io.probity.audit;

import java.util.Locale;

/**
 * The audit of a record that is not a clean match: non-finite input, records without logits, changes of
 * precision, the warn band and the search for the serving fault. {@link SoftmaxAuditor} calls it only after
 * its fast clean-match check has failed, so none of this runs on the hot path of a clean record.
 */
final class DetailedAudit {

    private DetailedAudit() {
    }

    /**
     * Audits a record with reported values.
     *
     * @param logits     the logits, or null
     * @param recomputed the softmax of the logits (all NaN for non-finite logits), or null with the logits
     */
    static AuditResult audit(double[] logits, double[] reported, double[] recomputed, int predictedClass,
            double temperature, AuditSettings settings) {
        Findings findings = new Findings();
        boolean logitsFinite = logits != null && !Double.isNaN(recomputed[0]);
        boolean reportedFinite = allFinite(reported);
        addNonFinite(findings, logits != null && !logitsFinite, !reportedFinite);

        if (!reportedFinite) {
            if (logitsFinite) {
                checkArgmax(findings, recomputed, predictedClass, "recomputed");
            }
            return findings.build(Double.NaN, recomputed);
        }

        double maxAbsDiff = Double.NaN;
        if (logitsFinite) {
            ToleranceModel tolerance = new ToleranceModel(logits, reported, recomputed, temperature, settings);
            maxAbsDiff = maxAbsDiff(reported, recomputed);
            compareWithRecomputation(findings, logits, reported, recomputed, temperature, tolerance, maxAbsDiff);
        } else {
            ToleranceModel tolerance = new ToleranceModel(null, reported, null, temperature, settings);
            checkWithoutLogits(findings, reported, tolerance, logits == null);
        }
        checkArgmax(findings, reported, predictedClass, "reported");
        return findings.build(maxAbsDiff, recomputed);
    }

    /** Audits a record that has logits but no reported values. */
    static AuditResult auditLogitsOnly(double[] recomputed, int predictedClass) {
        Findings findings = new Findings();
        if (Double.isNaN(recomputed[0])) {
            addNonFinite(findings, true, false);
        } else {
            findings.passSentence("Recomputed the probabilities from the logits. The record sent no probabilities to "
                    + "compare with them.");
            checkArgmax(findings, recomputed, predictedClass, "recomputed");
        }
        return findings.build(Double.NaN, recomputed);
    }

    private static void addNonFinite(Findings findings, boolean logits, boolean reported) {
        if (logits && reported) {
            findings.add(AuditCauses.NON_FINITE, Verdict.FAIL,
                    "Both the logits and the reported probabilities contain NaN or infinite values.");
        } else if (logits) {
            findings.add(AuditCauses.NON_FINITE, Verdict.FAIL,
                    "The logits contain NaN or infinite values, so no softmax can be recomputed from them.");
        } else if (reported) {
            findings.add(AuditCauses.NON_FINITE, Verdict.FAIL, "The reported probabilities contain NaN or infinite "
                    + "values, as exponentials that overflow before normalising produce.");
        }
    }

    private static void compareWithRecomputation(Findings findings, double[] logits, double[] reported,
            double[] recomputed, double temperature, ToleranceModel tolerance, double maxAbsDiff) {
        if (matchPrecision(findings, reported, recomputed, tolerance, 0.0)) {
            return;
        }
        double logitAllowance = tolerance.relativeLogitAllowance(temperature);
        if (logitAllowance > 0 && matchPrecision(findings, reported, recomputed, tolerance, logitAllowance)) {
            return;
        }

        if (!tolerance.hasOverride) {
            boolean near = true;
            double ratio = 0;
            for (int i = 0; i < reported.length; i++) {
                double diff = Math.abs(reported[i] - recomputed[i]);
                near &= diff <= tolerance.tolerance(i, recomputed[i], ToleranceModel.WARN_FACTOR);
                ratio = Math.max(ratio, diff / tolerance.tolerance(i, recomputed[i], 1));
            }
            if (near) {
                findings.add(AuditCauses.IMPRECISE, Verdict.WARN, String.format(Locale.ROOT,
                        "Reported values differ from the softmax of the logits by up to %.3g, %.1f times the tolerance "
                                + "of their precision: close, but less precise than their format allows.",
                        maxAbsDiff, ratio));
                return;
            }
        }

        Transformations.Fit fit = Transformations.find(logits, reported, recomputed, temperature, tolerance);
        if (fit != null) {
            for (String cause : fit.causes()) {
                findings.add(cause, Verdict.FAIL, fit.explanation());
            }
            findings.impliedTemperature = fit.impliedTemperature();
            findings.classPermutation = fit.permutation();
        } else {
            double kl = klDivergence(reported, recomputed);
            findings.klDivergence = kl;
            findings.add(AuditCauses.MISMATCH, Verdict.FAIL, String.format(Locale.ROOT,
                    "Reported values differ from the softmax of the logits by up to %.4g, and no known serving fault "
                            + "reproduces them (KL divergence %.4g nats).", maxAbsDiff, kl));
        }
        checkRangeAndSum(findings, reported, tolerance, false);
    }

    /**
     * Checks for a clean match, then for values rounded to decimals, float16 or bfloat16. Without the logit
     * allowance it reports the largest number of decimals that fits, since a vector such as [0, 0, 1] fits
     * every d up to the one the serving code used. With the allowance the tolerance can exceed half a unit of
     * several decimals, so it reports the smallest d the values are written with.
     *
     * @return true when the record matched and the findings are complete
     */
    private static boolean matchPrecision(Findings findings, double[] reported, double[] recomputed,
            ToleranceModel tolerance, double logitAllowance) {
        int n = reported.length;
        String logitNote = logitAllowance > 0
                ? ", allowing for the logits being rounded to " + tolerance.logitDecimals + " decimals" : "";

        boolean clean = true;
        for (int i = 0; i < n && clean; i++) {
            clean = Math.abs(reported[i] - recomputed[i]) <= tolerance.fineTolerance(i, recomputed[i], logitAllowance);
        }
        if (clean) {
            findings.passSentence(tolerance.hasOverride
                    ? "Reported probabilities match the softmax of the logits within the tolerance override."
                    : "Reported probabilities match the softmax of the logits within " + tolerance.fineFormatName()
                            + " precision" + logitNote + ".");
            return true;
        }
        if (tolerance.hasOverride) {
            return false;
        }

        if (tolerance.reportedDecimals >= 0) {
            int d = Math.max(1, tolerance.reportedDecimals);
            if (fitsDecimals(reported, recomputed, tolerance, d, logitAllowance)) {
                while (logitAllowance == 0 && d < Precision.MAX_DECIMALS
                        && fitsDecimals(reported, recomputed, tolerance, d + 1, logitAllowance)) {
                    d++;
                }
                findings.roundingDecimals = d;
                findings.add(AuditCauses.ROUNDED, Verdict.PASS, "Reported probabilities equal the softmax of the "
                        + "logits rounded to " + d + (d == 1 ? " decimal" : " decimals") + logitNote + ".");
                return true;
            }
        }
        if (tolerance.reportedFloat16 && fitsBinary(reported, recomputed, tolerance, logitAllowance,
                Precision.UNIT_ROUNDOFF_FLOAT16, Precision.MIN_NORMAL_FLOAT16)) {
            findings.add(AuditCauses.LOW_PRECISION, Verdict.PASS, "Reported probabilities equal the softmax of the "
                    + "logits rounded to float16 (11 significant bits)" + logitNote + ".");
            return true;
        }
        if (tolerance.reportedBfloat16 && fitsBinary(reported, recomputed, tolerance, logitAllowance,
                Precision.UNIT_ROUNDOFF_BFLOAT16, Precision.MIN_NORMAL_BFLOAT16)) {
            findings.add(AuditCauses.LOW_PRECISION, Verdict.PASS, "Reported probabilities equal the softmax of the "
                    + "logits rounded to bfloat16 (8 significant bits)" + logitNote + ".");
            return true;
        }
        return false;
    }

    private static boolean fitsDecimals(double[] reported, double[] recomputed, ToleranceModel tolerance, int d,
            double logitAllowance) {
        for (int i = 0; i < reported.length; i++) {
            if (Math.abs(reported[i] - recomputed[i]) > tolerance.decimalTolerance(i, recomputed[i], d, logitAllowance)) {
                return false;
            }
        }
        return true;
    }

    private static boolean fitsBinary(double[] reported, double[] recomputed, ToleranceModel tolerance,
            double logitAllowance, double unitRoundoff, double minNormal) {
        for (int i = 0; i < reported.length; i++) {
            double allowed = tolerance.binaryTolerance(i, recomputed[i], logitAllowance, unitRoundoff, minNormal);
            if (Math.abs(reported[i] - recomputed[i]) > allowed) {
                return false;
            }
        }
        return true;
    }

    /** Checks a record whose logits are missing or not finite, from the reported values alone. */
    private static void checkWithoutLogits(Findings findings, double[] reported, ToleranceModel tolerance,
            boolean noLogits) {
        int n = reported.length;
        double sum = Transformations.sum(reported);

        Transformations.Fit wrongAxis = Transformations.wrongAxis(reported);
        if (wrongAxis != null) {
            findings.add(AuditCauses.WRONG_AXIS, Verdict.FAIL, wrongAxis.explanation());
        } else if (Transformations.oneHotIndex(reported) >= 0) {
            findings.add(AuditCauses.ONE_HOT, Verdict.WARN, "The probabilities are a one-hot vector. Without logits the "
                    + "audit cannot tell a hard label from a softmax that is certain to float precision.");
        }

        boolean percentRange = true;
        boolean anyAboveOne = false;
        boolean allNonPositive = true;
        double expSum = 0;
        double expTolerance = 0;
        for (double r : reported) {
            percentRange &= r >= 0 && r <= 100;
            anyAboveOne |= r > 1;
            allNonPositive &= r <= 0;
            double e = Math.exp(r);
            expSum += e;
            expTolerance += e * (tolerance.relativeFaultTolerance() + tolerance.representationError(r));
        }
        if (percentRange && anyAboveOne && Math.abs(sum - 100) <= tolerance.sumTolerance(reported, 100)) {
            findings.add(AuditCauses.PERCENT, Verdict.FAIL, "The values sum to " + Transformations.format(sum)
                    + ": percentages were sent instead of probabilities.");
        }
        if (n >= 2 && allNonPositive && Math.abs(expSum - 1) <= expTolerance) {
            findings.add(AuditCauses.LOG_PROBABILITIES, Verdict.FAIL, "The values are at most 0 and their exponentials "
                    + "sum to 1: log-probabilities were sent instead of probabilities.");
        }

        checkRangeAndSum(findings, reported, tolerance, true);
        findings.passSentence("The probabilities form a distribution within " + tolerance.fineFormatName()
                + " precision. They cannot be recomputed because "
                + (noLogits ? "the record sent no logits." : "the logits are not finite."));
    }

    /**
     * Adds {@code range} for a value outside [0, 1] and {@code sum} for a sum off 1 by more than the sum
     * tolerance. With {@code warnBand}, a sum that fits once the arithmetic error estimate is multiplied by
     * {@link ToleranceModel#WARN_FACTOR} gives a warn.
     */
    private static void checkRangeAndSum(Findings findings, double[] reported, ToleranceModel tolerance, boolean warnBand) {
        for (int i = 0; i < reported.length; i++) {
            if (reported[i] < 0 || reported[i] > 1) {
                findings.add(AuditCauses.RANGE, Verdict.FAIL, "Reported value " + Transformations.format(reported[i])
                        + " for class " + i + " is outside [0, 1].");
                break;
            }
        }

        double sum = Transformations.sum(reported);
        double allowed = tolerance.sumTolerance(reported, 1.0);
        double deviation = Math.abs(sum - 1);
        if (deviation <= allowed) {
            return;
        }
        String sentence = "Reported values sum to " + sumText(sum) + " instead of 1.";
        double warnAllowed = tolerance.sumTolerance(reported, 1.0, ToleranceModel.WARN_FACTOR);
        if (warnBand && !tolerance.hasOverride && deviation <= warnAllowed) {
            findings.add(AuditCauses.SUM, Verdict.WARN, String.format(Locale.ROOT, "Reported values sum to %s, off 1 by "
                    + "%.1f times the tolerance of their precision: close, but less precise than their format allows.",
                    sumText(sum), deviation / allowed));
        } else {
            findings.add(AuditCauses.SUM, Verdict.FAIL, sentence);
        }
    }

    /** Formats a sum with enough digits to show how far it is from 1. */
    private static String sumText(double sum) {
        double deviation = Math.abs(sum - 1);
        int digits = deviation > 0 ? Math.max(4, (int) Math.ceil(-Math.log10(deviation)) + 2) : 4;
        return String.format(Locale.ROOT, "%." + Math.min(digits, 17) + "g", sum);
    }

    /**
     * Checks that the predicted class is a maximum of {@code values}. Ties compare exactly, so any of several
     * tied maxima passes.
     */
    private static void checkArgmax(Findings findings, double[] values, int predictedClass, String vectorName) {
        if (predictedClass < 0) {
            return;
        }
        int top = Transformations.argmax(values);
        if (values[predictedClass] == values[top]) {
            return;
        }
        findings.add(AuditCauses.ARGMAX, Verdict.FAIL, "The predicted class " + predictedClass + " is not the most "
                + "probable class: class " + top + " has the largest " + vectorName + " value, "
                + Transformations.format(values[top]) + ", against " + Transformations.format(values[predictedClass]) + ".");
    }

    /**
     * Returns {@code D_KL(r || p) = sum_i r_i ln(r_i / p_i)} in nats, with r the reported values divided by their
     * sum. Returns NaN when a reported value is negative or all are 0, and infinity when some p_i is 0 where r_i
     * is not.
     */
    static double klDivergence(double[] reported, double[] recomputed) {
        double sum = 0;
        for (double r : reported) {
            if (r < 0) {
                return Double.NaN;
            }
            sum += r;
        }
        if (!(sum > 0)) {
            return Double.NaN;
        }
        double kl = 0;
        for (int i = 0; i < reported.length; i++) {
            double q = reported[i] / sum;
            if (q == 0) {
                continue;
            }
            if (recomputed[i] == 0) {
                return Double.POSITIVE_INFINITY;
            }
            kl += q * Math.log(q / recomputed[i]);
        }
        return Math.max(kl, 0);
    }

    static double maxAbsDiff(double[] reported, double[] recomputed) {
        double max = 0;
        for (int i = 0; i < reported.length; i++) {
            max = Math.max(max, Math.abs(reported[i] - recomputed[i]));
        }
        return max;
    }

    static boolean allFinite(double[] values) {
        for (double v : values) {
            if (v - v != 0) {
                return false;
            }
        }
        return true;
    }
}
