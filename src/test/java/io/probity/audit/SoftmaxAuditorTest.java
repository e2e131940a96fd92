package io.probity.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SoftmaxAuditorTest {

    private static final double[] LOGITS = {2.1, -0.7, 0.4, 1.3, -2.2};

    private static AuditResult audit(double[] logits, double[] reported, int predicted, double temperature) {
        return SoftmaxAuditor.audit(logits, reported, predicted, temperature, AuditSettings.DEFAULT);
    }

    private static AuditResult audit(double[] logits, double[] reported) {
        return audit(logits, reported, -1, 1.0);
    }

    private static double[] float32(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double[] randomLogits(long seed, int n, double scale) {
        Random random = new Random(seed);
        double[] logits = new double[n];
        for (int i = 0; i < n; i++) {
            logits[i] = random.nextGaussian() * scale;
        }
        return logits;
    }

    private static void assertFailsWith(AuditResult result, String cause) {
        assertEquals(Verdict.FAIL, result.verdict(), result.toString());
        assertTrue(result.hasCause(cause), "causes " + result.causes() + " lack " + cause + ": " + result.explanation());
    }

    // Clean matches

    @Test
    void float32VectorPassesClean() {
        for (int n : new int[] {2, 3, 10, 100, 1000}) {
            double[] logits = randomLogits(n, n, 3);
            AuditResult result = audit(logits, float32(Softmax.softmax(logits, 1.0)));

            assertEquals(Verdict.PASS, result.verdict(), "n = " + n + ": " + result.explanation());
            assertEquals(List.of(), result.causes(), "n = " + n);
            assertTrue(result.explanation().contains("float32"), result.explanation());
        }
    }

    @Test
    void float32SoftmaxComputedInFloat32PassesClean() {
        float[] logits = {3.25f, -1.5f, 0.75f, 2.0f};
        float max = 3.25f;
        float[] exp = new float[4];
        float sum = 0;
        for (int i = 0; i < 4; i++) {
            exp[i] = (float) Math.exp(logits[i] - max);
            sum += exp[i];
        }
        double[] reported = new double[4];
        double[] logits64 = new double[4];
        for (int i = 0; i < 4; i++) {
            reported[i] = exp[i] / sum;
            logits64[i] = logits[i];
        }

        assertEquals(List.of(), audit(logits64, reported, 0, 1.0).causes());
    }

    @Test
    void float64VectorPassesClean() {
        AuditResult result = audit(LOGITS, Softmax.softmax(LOGITS, 1.0), 0, 1.0);

        assertEquals(Verdict.PASS, result.verdict());
        assertEquals(List.of(), result.causes());
        assertEquals(0.0, result.maxAbsDiff());
        assertTrue(Double.isNaN(result.impliedTemperature()));
        assertNull(result.classPermutation());
        assertEquals(-1, result.roundingDecimals());
    }

    @Test
    void float32TextPassesClean() {
        double[] p = Softmax.softmax(LOGITS, 1.0);
        double[] text = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            text[i] = Double.parseDouble(Float.toString((float) p[i]));
        }
        assertEquals(List.of(), audit(LOGITS, text).causes());
    }

    @Test
    void oneClassPasses() {
        AuditResult result = audit(new double[] {4.2}, new double[] {1.0}, 0, 1.0);
        assertEquals(Verdict.PASS, result.verdict());
        assertArrayEquals(new double[] {1.0}, result.recomputed(), 0.0);
    }

    @Test
    void oneClassBelowOneFails() {
        AuditResult result = audit(new double[] {4.2}, new double[] {0.9}, 0, 1.0);
        assertFailsWith(result, AuditCauses.SUM);
    }

    @Test
    void twoClassesPassAndSwapIsClassOrder() {
        double[] logits = {0.3, 1.9};
        double[] p = Softmax.softmax(logits, 1.0);
        assertEquals(List.of(), audit(logits, float32(p), 1, 1.0).causes());

        AuditResult swapped = audit(logits, new double[] {p[1], p[0]});
        assertFailsWith(swapped, AuditCauses.CLASS_ORDER);
        assertArrayEquals(new int[] {1, 0}, swapped.classPermutation());
    }

    @Test
    void largeLogitsPassClean() {
        double[] logits = {1e4, 1e4 - 2.5, -1e4, 9999.0};
        AuditResult result = audit(logits, float32(Softmax.softmax(logits, 1.0)), 0, 1.0);
        assertEquals(Verdict.PASS, result.verdict(), result.explanation());
        assertEquals(List.of(), result.causes());

        double[] negative = {-1e4, -1e4 + 1, -1e4 + 3};
        assertEquals(List.of(), audit(negative, float32(Softmax.softmax(negative, 2.0)), 2, 2.0).causes());
    }

    @Test
    void equalLogitsAcceptAnyPredictedClass() {
        double[] logits = {0.7, 0.7, 0.7};
        double[] reported = float32(Softmax.softmax(logits, 1.0));
        for (int predicted = 0; predicted < 3; predicted++) {
            assertEquals(Verdict.PASS, audit(logits, reported, predicted, 1.0).verdict(), "class " + predicted);
        }
    }

    @Test
    void tiedMaximaAcceptEitherButNotOther() {
        double[] logits = {1.5, 1.5, -0.5};
        double[] reported = float32(Softmax.softmax(logits, 1.0));

        assertEquals(Verdict.PASS, audit(logits, reported, 0, 1.0).verdict());
        assertEquals(Verdict.PASS, audit(logits, reported, 1, 1.0).verdict());
        assertFailsWith(audit(logits, reported, 2, 1.0), AuditCauses.ARGMAX);
    }

    @Test
    void subnormalProbabilitiesPass() {
        double[] logits = {0.0, -740.0, -1.0};
        double[] p = Softmax.softmax(logits, 1.0);
        assertTrue(p[1] > 0, "p[1] = " + p[1] + " should be above 0");
        assertTrue(p[1] < Double.MIN_NORMAL, "p[1] = " + p[1] + " should be subnormal");
        assertEquals(List.of(), audit(logits, p).causes());

        double[] flushed = p.clone();
        flushed[1] = 0.0;
        assertEquals(List.of(), audit(logits, flushed).causes(), "a value flushed to zero is within the floor");

        double[] float32Logits = {0.0, -100.0, -1.0};
        double[] f32 = float32(Softmax.softmax(float32Logits, 1.0));
        assertTrue(f32[1] > 0, "f32[1] = " + f32[1] + " should be above 0");
        assertTrue(f32[1] < 0x1p-126, "f32[1] = " + f32[1] + " should be a float32 subnormal");
        assertEquals(List.of(), audit(float32Logits, f32).causes());
    }

    // Changes of precision that pass

    @Test
    void roundedToThreeDecimalsPasses() {
        double[] p = Softmax.softmax(LOGITS, 1.0);
        double[] rounded = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            rounded[i] = Math.round(p[i] * 1000) / 1000.0;
        }
        AuditResult result = audit(LOGITS, rounded, 0, 1.0);

        assertEquals(Verdict.PASS, result.verdict());
        assertEquals(List.of(AuditCauses.ROUNDED), result.causes());
        assertEquals(3, result.roundingDecimals());
    }

    @Test
    void oneHotFromRoundingReportsLargestDecimals() {
        double[] logits = {-2.98301, -3.73116, 3.20017};
        AuditResult result = audit(logits, new double[] {0.0, 0.0, 1.0}, 2, 1.0);

        assertEquals(Verdict.PASS, result.verdict());
        assertEquals(List.of(AuditCauses.ROUNDED), result.causes());
        assertEquals(2, result.roundingDecimals());
    }

    @Test
    void float16AndBfloat16PassAsLowPrecision() {
        double[] p = Softmax.softmax(LOGITS, 1.0);
        double[] half = new double[p.length];
        double[] brain = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            half[i] = Precision.roundToFloat16(p[i]);
            brain[i] = Precision.roundToBfloat16(p[i]);
        }

        AuditResult halfResult = audit(LOGITS, half, 0, 1.0);
        assertEquals(Verdict.PASS, halfResult.verdict());
        assertEquals(List.of(AuditCauses.LOW_PRECISION), halfResult.causes());
        assertTrue(halfResult.explanation().contains("float16"), halfResult.explanation());

        AuditResult brainResult = audit(LOGITS, brain, 0, 1.0);
        assertEquals(Verdict.PASS, brainResult.verdict());
        assertEquals(List.of(AuditCauses.LOW_PRECISION), brainResult.causes());
        assertTrue(brainResult.explanation().contains("bfloat16"), brainResult.explanation());
    }

    // Temperature

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 2.0, 3.7})
    void temperatureIsRecovered(double actual) {
        double[] logits = randomLogits(7, 6, 2);
        for (double[] reported : List.of(Softmax.softmax(logits, actual), float32(Softmax.softmax(logits, actual)))) {
            AuditResult result = audit(logits, reported, -1, 1.0);

            assertFailsWith(result, AuditCauses.TEMPERATURE);
            assertEquals(actual, result.impliedTemperature(), 1e-3);
        }
    }

    @Test
    void temperatureExplanationNamesBothTemperatures() {
        AuditResult result = audit(LOGITS, Softmax.softmax(LOGITS, 2.0), 0, 1.0);
        assertEquals("Reported values equal a softmax at temperature 2.00, but the declared temperature is 1.00.",
                result.explanation());
    }

    @Test
    void temperatureAppliedTwiceIsNamed() {
        AuditResult result = audit(LOGITS, Softmax.softmax(LOGITS, 4.0), 0, 2.0);

        assertFailsWith(result, AuditCauses.TEMPERATURE);
        assertTrue(result.hasCause(AuditCauses.TEMPERATURE_TWICE), result.causes().toString());
        assertEquals(4.0, result.impliedTemperature(), 1e-9);
    }

    @Test
    void temperatureNotAppliedIsExplained() {
        AuditResult result = audit(LOGITS, Softmax.softmax(LOGITS, 1.0), 0, 2.0);

        assertFailsWith(result, AuditCauses.TEMPERATURE);
        assertTrue(result.explanation().contains("was not applied"), result.explanation());
    }

    @Test
    void temperatureOverrideReplacesDeclared() {
        AuditSettings settings = new AuditSettings(Double.NaN, 2.0);
        AuditResult result = SoftmaxAuditor.audit(LOGITS, Softmax.softmax(LOGITS, 2.0), 0, 1.0, settings);
        assertEquals(Verdict.PASS, result.verdict());
    }

    // Other transformations

    @Test
    void sigmoidInsteadOfSoftmaxFails() {
        double[] reported = new double[LOGITS.length];
        for (int i = 0; i < LOGITS.length; i++) {
            reported[i] = 1 / (1 + Math.exp(-LOGITS[i]));
        }
        AuditResult result = audit(LOGITS, float32(reported), 0, 1.0);
        assertFailsWith(result, AuditCauses.SIGMOID);
        assertEquals(AuditCauses.SIGMOID, result.causes().get(0));
    }

    @Test
    void swappedClassesAreFoundExhaustively() {
        double[] p = Softmax.softmax(LOGITS, 1.0);
        int[] perm = {0, 3, 2, 1, 4};
        double[] reported = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            reported[i] = p[perm[i]];
        }
        AuditResult result = audit(LOGITS, float32(reported));

        assertFailsWith(result, AuditCauses.CLASS_ORDER);
        assertArrayEquals(perm, result.classPermutation());
    }

    @Test
    void offByOneShiftIsClassOrder() {
        double[] logits = randomLogits(3, 10, 2);
        double[] p = Softmax.softmax(logits, 1.0);
        double[] shifted = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            shifted[i] = p[(i + 1) % p.length];
        }
        AuditResult result = audit(logits, float32(shifted));

        assertFailsWith(result, AuditCauses.CLASS_ORDER);
        assertEquals(1, result.classPermutation()[0]);
        assertTrue(result.explanation().contains("off-by-one"), result.explanation());
    }

    @Test
    void manyClassesAreMatchedBySorting() {
        int n = 40;
        double[] logits = randomLogits(11, n, 2);
        double[] p = Softmax.softmax(logits, 1.0);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = (i * 7 + 3) % n;
        }
        int tmp = perm[0];
        perm[0] = perm[1];
        perm[1] = tmp;
        double[] reported = new double[n];
        for (int i = 0; i < n; i++) {
            reported[i] = p[perm[i]];
        }
        AuditResult result = audit(logits, float32(reported));

        assertFailsWith(result, AuditCauses.CLASS_ORDER);
        for (int i = 0; i < n; i++) {
            double expected = p[result.classPermutation()[i]];
            assertEquals(expected, reported[i], 1e-7 * expected, "position " + i);
        }
    }

    @Test
    void topKTruncationFailsWithSum() {
        double[] p = Softmax.softmax(LOGITS, 1.0);
        double[] truncated = p.clone();
        truncated[1] = 0;
        truncated[2] = 0;
        truncated[4] = 0;
        AuditResult result = audit(LOGITS, float32(truncated), 0, 1.0);

        assertFailsWith(result, AuditCauses.SUM);
        assertTrue(result.hasCause(AuditCauses.TRUNCATED), result.causes().toString());
        assertTrue(result.explanation().contains("2 largest"), result.explanation());
    }

    @Test
    void renormalisedSubsetFails() {
        double[] p = Softmax.softmax(LOGITS, 1.0);
        double keptSum = p[0] + p[3];
        double[] subset = {p[0] / keptSum, 0, 0, p[3] / keptSum, 0};
        AuditResult result = audit(LOGITS, float32(subset), 0, 1.0);

        assertFailsWith(result, AuditCauses.SUBSET);
        assertFalse(result.hasCause(AuditCauses.SUM), "a renormalised subset sums to 1");
    }

    @Test
    void logProbabilitiesFail() {
        double[] p = Softmax.softmax(LOGITS, 1.0);
        double[] logP = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            logP[i] = Math.log(p[i]);
        }
        AuditResult result = audit(LOGITS, float32(logP), 0, 1.0);

        assertFailsWith(result, AuditCauses.LOG_PROBABILITIES);
        assertTrue(result.hasCause(AuditCauses.RANGE));
    }

    @Test
    void logitsSentAsProbabilitiesFail() {
        AuditResult result = audit(LOGITS, float32(LOGITS), 0, 1.0);
        assertFailsWith(result, AuditCauses.LOGITS_AS_PROBABILITIES);

        double[] divided = new double[LOGITS.length];
        for (int i = 0; i < LOGITS.length; i++) {
            divided[i] = LOGITS[i] / 2;
        }
        assertFailsWith(audit(LOGITS, divided, 0, 2.0), AuditCauses.LOGITS_AS_PROBABILITIES);
    }

    @Test
    void percentagesFail() {
        double[] p = Softmax.softmax(LOGITS, 1.0);
        double[] percent = new double[p.length];
        double[] roundedPercent = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            percent[i] = 100 * p[i];
            roundedPercent[i] = Math.round(p[i] * 10000) / 100.0;
        }

        assertFailsWith(audit(LOGITS, percent, 0, 1.0), AuditCauses.PERCENT);
        assertFailsWith(audit(LOGITS, roundedPercent, 0, 1.0), AuditCauses.PERCENT);
        assertFailsWith(audit(null, roundedPercent, 0, 1.0), AuditCauses.PERCENT);
    }

    @Test
    void oneHotWithLogitsFails() {
        AuditResult result = audit(LOGITS, new double[] {1, 0, 0, 0, 0}, 0, 1.0);
        assertFailsWith(result, AuditCauses.ONE_HOT);
    }

    @Test
    void oneHotWithoutLogitsWarns() {
        AuditResult result = audit(null, new double[] {0, 1, 0}, 1, 1.0);

        assertEquals(Verdict.WARN, result.verdict());
        assertEquals(List.of(AuditCauses.ONE_HOT), result.causes());
    }

    @Test
    void doubleSoftmaxFails() {
        double[] twice = Softmax.softmax(Softmax.softmax(LOGITS, 1.0), 1.0);
        assertFailsWith(audit(LOGITS, float32(twice), 0, 1.0), AuditCauses.DOUBLE_SOFTMAX);
    }

    @Test
    void allOnesIsWrongAxis() {
        double[] ones = {1, 1, 1, 1, 1};
        assertFailsWith(audit(LOGITS, ones, 0, 1.0), AuditCauses.WRONG_AXIS);
        assertFailsWith(audit(null, ones, 0, 1.0), AuditCauses.WRONG_AXIS);
    }

    @Test
    void unnormalisedExponentialsFail() {
        double[] exp = new double[LOGITS.length];
        for (int i = 0; i < LOGITS.length; i++) {
            exp[i] = Math.exp(LOGITS[i]);
        }
        AuditResult result = audit(LOGITS, float32(exp), 0, 1.0);

        assertFailsWith(result, AuditCauses.UNNORMALISED);
        assertTrue(result.hasCause(AuditCauses.SUM));
    }

    // Symptoms and mismatch

    @Test
    void valueOutsideUnitIntervalIsRange() {
        AuditResult result = audit(null, new double[] {1.2, -0.2, 0.0}, 0, 1.0);
        assertFailsWith(result, AuditCauses.RANGE);
    }

    @Test
    void nonFiniteLogitsFail() {
        double[] reported = {0.5, 0.3, 0.2};
        AuditResult result = audit(new double[] {1.0, Double.POSITIVE_INFINITY, 0.0}, reported, 0, 1.0);

        assertFailsWith(result, AuditCauses.NON_FINITE);
        assertTrue(Double.isNaN(result.recomputed()[0]));
        assertTrue(Double.isNaN(result.maxAbsDiff()));
    }

    @Test
    void nonFiniteReportedFails() {
        AuditResult result = audit(new double[] {1, 2, 3}, new double[] {0.1, Double.NaN, Double.NaN}, 2, 1.0);

        assertFailsWith(result, AuditCauses.NON_FINITE);
        assertEquals(List.of(AuditCauses.NON_FINITE), result.causes(), "argmax is checked against the recomputation");
    }

    @Test
    void argmaxMismatchFails() {
        AuditResult result = audit(LOGITS, float32(Softmax.softmax(LOGITS, 1.0)), 3, 1.0);

        assertFailsWith(result, AuditCauses.ARGMAX);
        assertEquals(List.of(AuditCauses.ARGMAX), result.causes());
    }

    @Test
    void unrelatedVectorIsMismatch() {
        double[] reported = {0.1, 0.2, 0.3, 0.15, 0.25};
        AuditResult result = audit(LOGITS, reported, -1, 1.0);

        assertFailsWith(result, AuditCauses.MISMATCH);
        double[] p = Softmax.softmax(LOGITS, 1.0);
        double kl = 0;
        double maxDiff = 0;
        for (int i = 0; i < p.length; i++) {
            kl += reported[i] * Math.log(reported[i] / p[i]);
            maxDiff = Math.max(maxDiff, Math.abs(reported[i] - p[i]));
        }
        assertEquals(kl, result.klDivergence(), 1e-12);
        assertEquals(maxDiff, result.maxAbsDiff(), 0.0);
    }

    // Warn

    @Test
    void smallDeviationAboveToleranceWarns() {
        double[] p = Softmax.softmax(LOGITS, 1.0);
        double[] nudged = p.clone();
        nudged[0] = p[0] * (1 + 1e-14);
        AuditResult result = audit(LOGITS, nudged, 0, 1.0);

        assertEquals(Verdict.WARN, result.verdict(), result.explanation());
        assertEquals(List.of(AuditCauses.IMPRECISE), result.causes());
    }

    @Test
    void sumOffByLittleWithoutLogitsWarns() {
        AuditResult result = audit(null, new double[] {0.5, 0.3, 0.2 + 5e-15}, 0, 1.0);

        assertEquals(Verdict.WARN, result.verdict(), result.explanation());
        assertEquals(List.of(AuditCauses.SUM), result.causes());
    }

    // Records with one vector

    @Test
    void logitsOnlyPassWithRecomputation() {
        AuditResult result = audit(LOGITS, null, 0, 1.0);

        assertEquals(Verdict.PASS, result.verdict());
        assertArrayEquals(Softmax.softmax(LOGITS, 1.0), result.recomputed(), 0.0);
        assertTrue(Double.isNaN(result.maxAbsDiff()));
        assertFailsWith(audit(LOGITS, null, 1, 1.0), AuditCauses.ARGMAX);
    }

    @Test
    void probabilitiesOnlyPass() {
        AuditResult result = audit(null, float32(Softmax.softmax(LOGITS, 1.0)), 0, 1.0);

        assertEquals(Verdict.PASS, result.verdict(), result.explanation());
        assertEquals(List.of(), result.causes());
        assertNull(result.recomputed());
    }

    @Test
    void logProbabilitiesWithoutLogitsFail() {
        double[] p = Softmax.softmax(LOGITS, 1.0);
        double[] logP = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            logP[i] = Math.log(p[i]);
        }
        assertFailsWith(audit(null, logP, 0, 1.0), AuditCauses.LOG_PROBABILITIES);
    }

    // Settings and arguments

    @Test
    void toleranceOverrideDecidesAlone() {
        double[] rounded = {0.71, 0.19, 0.10};
        double[] logits = {2.5, 1.2, 0.5};

        AuditResult loose = SoftmaxAuditor.audit(logits, rounded, 0, 1.0, new AuditSettings(0.01, Double.NaN));
        assertEquals(Verdict.PASS, loose.verdict());
        assertEquals(List.of(), loose.causes());

        AuditResult strict = SoftmaxAuditor.audit(logits, rounded, 0, 1.0, new AuditSettings(1e-6, Double.NaN));
        assertEquals(Verdict.FAIL, strict.verdict(), strict.explanation());
    }

    @Test
    void invalidArgumentsAreRejected() {
        double[] three = {0.2, 0.3, 0.5};
        assertThrows(IllegalArgumentException.class, () -> audit(null, null, -1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> audit(new double[] {1, 2}, three, -1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> audit(null, three, 3, 1.0));
        assertThrows(IllegalArgumentException.class, () -> audit(null, three, -2, 1.0));
        assertThrows(IllegalArgumentException.class, () -> audit(null, three, 0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> audit(null, new double[0], -1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new AuditSettings(-1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new AuditSettings(Double.NaN, 0));
    }

    @Test
    void verdictCodesAreLowerCase() {
        assertEquals("pass", Verdict.PASS.code());
        assertEquals("warn", Verdict.WARN.code());
        assertEquals("fail", Verdict.FAIL.code());
    }

    @Test
    void causeCodesAreDistinct() {
        assertEquals(AuditCauses.ALL.size(), AuditCauses.ALL.stream().distinct().count());
    }
}
