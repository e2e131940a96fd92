package io.probity.calibration;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Figures of {@code GET /api/v1/models/{model}/metrics} for one window. Calibration fields are
 * computed over labelled predictions and are null when there are none; {@code meanConfidence}
 * and the histograms cover every prediction with a finite probability vector.
 *
 * @param binning             {@code width} for equal-width or {@code mass} for equal-mass reliability bins
 * @param className           the predicted class the figures are restricted to, or null for all
 * @param ece                 top-label ECE over the {@code reliability} bins
 * @param eceLower            lower end of the bootstrap 95 % interval of the equal-width ECE, when requested
 * @param eceUpper            upper end of that interval
 * @param classwiseEce        classwise ECE (mean over classes of the one-vs-rest ECE), when requested
 * @param reliability         equal-width bins, bin i holding confidences in (i/B, (i+1)/B], 0 in the
 *                            first; or equal-mass bins when {@code binning} is {@code mass}
 * @param confidenceHistogram counts of top-label confidence in equal-width bins on [0, 1] with NumPy
 *                            {@code histogram} edges (each bin half-open except the last, which is closed)
 * @param marginHistogram     counts of the top-1 minus top-2 margin, bins as {@code confidenceHistogram}
 * @param entropyHistogram    counts of the normalised entropy, bins as {@code confidenceHistogram}
 * @param perClass            the three histograms per predicted class
 * @param sampleSize          labelled predictions read for the statistics that need raw rows
 *                            (equal-mass bins, classwise ECE, bootstrap), when any was requested
 * @param sampleLimit         the maximum number of predictions such a request reads, spread over the window's hours
 * @param auditFailed         predictions whose audit verdict is {@code fail}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetrics(String model, String version, String from, String to, long count, long labeledCount,
                           long auditFailed, Double accuracy, Double meanConfidence, Double ece, Double mce,
                           Double brier, Double nll, List<Bin> reliability, long[] confidenceHistogram,
                           String binning, String className, Double eceLower, Double eceUpper, Double classwiseEce,
                           long[] marginHistogram, long[] entropyHistogram, List<ClassHistograms> perClass,
                           Integer sampleSize, Integer sampleLimit) {

    /**
     * One reliability-diagram bin; accuracy, mean confidence and the Wilson 95 % interval of the
     * accuracy are absent for an empty bin.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bin(double lower, double upper, long count, Double accuracy, Double meanConfidence,
                      Double accuracyLower, Double accuracyUpper) {

        /** Converts a computed bin, leaving the means and interval out when it is empty. */
        public static Bin of(ReliabilityBin bin) {
            boolean empty = bin.count() == 0;
            return new Bin(bin.lower(), bin.upper(), bin.count(), empty ? null : bin.accuracy(),
                    empty ? null : bin.meanConfidence(), empty ? null : bin.accuracyInterval().lower(),
                    empty ? null : bin.accuracyInterval().upper());
        }
    }

    /** Histograms of the predictions whose top class is {@code className}. */
    public record ClassHistograms(String className, long count, long[] confidenceHistogram, long[] marginHistogram,
                                  long[] entropyHistogram) {
    }
}
