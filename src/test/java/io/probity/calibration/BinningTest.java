package io.probity.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BinningTest {

    @Test
    void equalWidthBinsAreLeftOpenRightClosed() {
        assertEquals(0, Binning.equalWidthIndex(0.0, 10), "0 falls in the first bin");
        assertEquals(0, Binning.equalWidthIndex(0.1, 10), "an upper edge belongs to its bin");
        assertEquals(1, Binning.equalWidthIndex(Math.nextUp(0.1), 10));
        assertEquals(9, Binning.equalWidthIndex(1.0, 10), "1.0 falls in the last bin");
        assertEquals(14, Binning.equalWidthIndex(1.0, 15));
    }

    @Test
    void equalWidthIndexAgreesWithStatedEdges() {
        for (int bins : new int[] {3, 10, 15, 60}) {
            for (int i = 0; i < bins; i++) {
                double upper = Binning.upperEdge(i, bins);
                assertEquals(i, Binning.equalWidthIndex(upper, bins), bins + " bins, upper edge of bin " + i);
                if (i < bins - 1) {
                    assertEquals(i + 1, Binning.equalWidthIndex(Math.nextUp(upper), bins), bins + " bins, above edge " + i);
                }
            }
        }
    }

    @Test
    void quantileEdgesInterpolateLinearly() {
        assertArrayEquals(new double[] {1.0, 2.5, 4.0}, Binning.quantileEdges(new double[] {4, 1, 3, 2}, 2));
        assertArrayEquals(new double[] {0.7, 0.7}, Binning.quantileEdges(new double[] {0.7}, 1));
    }

    @Test
    void edgeValuesGoToLowerBin() {
        double[] edges = {0.0, 0.5, 0.8, 1.0};

        assertEquals(0, Binning.edgeIndex(0.0, edges));
        assertEquals(0, Binning.edgeIndex(0.5, edges));
        assertEquals(1, Binning.edgeIndex(0.6, edges));
        assertEquals(2, Binning.edgeIndex(1.0, edges));
        assertEquals(2, Binning.edgeIndex(1.5, edges), "values above the last edge go to the last bin");
    }

    @Test
    void binsBelowOneAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Binning.equalWidthIndex(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> Binning.quantileEdges(new double[0], 10));
    }
}
