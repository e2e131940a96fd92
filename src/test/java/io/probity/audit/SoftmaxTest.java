package io.probity.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoftmaxTest {

    @Test
    void workedExampleMatchesDocumentedValues() {
        double[] p = Softmax.softmax(new double[] {2.5, 1.2, 0.5}, 1.0);
        double sum = Math.exp(2.5) + Math.exp(1.2) + Math.exp(0.5);

        assertEquals(Math.exp(2.5) / sum, p[0], 1e-16);
        assertEquals(Math.exp(1.2) / sum, p[1], 1e-16);
        assertEquals(Math.exp(0.5) / sum, p[2], 1e-16);
        assertArrayEquals(new double[] {0.7103, 0.1936, 0.0961}, p, 5e-5);
    }

    @Test
    void largeLogitsDoNotOverflow() {
        double[] p = Softmax.softmax(new double[] {1e4, -1e4, 1e4 - 1}, 1.0);

        assertEquals(1 / (1 + Math.exp(-1)), p[0], 1e-15);
        assertEquals(0.0, p[1]);
        assertEquals(Math.exp(-1) / (1 + Math.exp(-1)), p[2], 1e-15);
    }

    @Test
    void equalLogitsGiveUniform() {
        double[] p = Softmax.softmax(new double[] {-7, -7, -7, -7}, 0.3);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, p, 0.0);
    }

    @Test
    void oneClassGivesOne() {
        assertArrayEquals(new double[] {1.0}, Softmax.softmax(new double[] {-123.4}, 2.0), 0.0);
    }

    @Test
    void emptyLogitsGiveEmpty() {
        assertEquals(0, Softmax.softmax(new double[0], 1.0).length);
    }

    @Test
    void temperatureDividesLogits() {
        double[] logits = {3.0, -1.0, 0.25};
        double[] divided = {1.5, -0.5, 0.125};
        assertArrayEquals(Softmax.softmax(divided, 1.0), Softmax.softmax(logits, 2.0), 1e-16);
    }

    @Test
    void nonFiniteLogitsGiveNaN() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            double[] p = Softmax.softmax(new double[] {1.0, bad, 0.0}, 1.0);
            for (double v : p) {
                assertTrue(Double.isNaN(v), "logit " + bad + " gave " + v);
            }
        }
    }

    @Test
    void softmaxIntoWorksInPlace() {
        double[] values = {2.5, 1.2, 0.5};
        double[] expected = Softmax.softmax(values.clone(), 1.0);
        Softmax.softmaxInto(values, 1.0, values);
        assertArrayEquals(expected, values, 0.0);
    }

    @Test
    void invalidArgumentsAreRejected() {
        double[] logits = {1.0, 2.0};
        assertThrows(IllegalArgumentException.class, () -> Softmax.softmax(logits, 0.0));
        assertThrows(IllegalArgumentException.class, () -> Softmax.softmax(logits, -1.0));
        assertThrows(IllegalArgumentException.class, () -> Softmax.softmax(logits, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Softmax.softmax(logits, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Softmax.softmaxInto(logits, 1.0, new double[3]));
    }
}
