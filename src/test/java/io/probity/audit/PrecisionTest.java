package io.probity.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrecisionTest {

    @Test
    void float16RoundingMatchesKnownValues() {
        assertEquals(0.0999755859375, Precision.roundToFloat16(0.1));
        assertEquals(65504.0, Precision.roundToFloat16(65519.0));
        assertEquals(Double.POSITIVE_INFINITY, Precision.roundToFloat16(65520.0));
        assertEquals(0x1p-24, Precision.roundToFloat16(0x1.1p-24));
        assertEquals(0.0, Precision.roundToFloat16(0x1p-26));
        assertEquals(1.0, Precision.roundToFloat16(1 + 0x1p-11), "a tie rounds to even");
    }

    @Test
    void bfloat16RoundingMatchesKnownValues() {
        assertEquals(0.10009765625, Precision.roundToBfloat16(0.1));
        assertEquals(1.0, Precision.roundToBfloat16(1 + 0x1p-8), "a tie rounds to even");
        assertEquals(0x1p-130, Precision.roundToBfloat16(0x1p-130));
    }

    @Test
    void decimalsCountsShortestDecimalText() {
        assertEquals(0, Precision.decimals(1.0));
        assertEquals(2, Precision.decimals(0.71));
        assertEquals(1, Precision.decimals(0.10));
        assertEquals(2, Precision.decimals(0.19));
        assertEquals(5, Precision.decimals(-3.62487));
        assertEquals(-1, Precision.decimals(0.9018905758857727));
    }

    @Test
    void float32TextIsRecognised() {
        float f = 0.9018906f;
        assertTrue(Precision.isFloat32(f));
        assertFalse(Precision.isFloat32(Double.parseDouble(Float.toString(f))));
        assertTrue(Precision.isFloat32Text(Double.parseDouble(Float.toString(f))));
    }
}
