package io.probity.alerts;

import java.util.Arrays;
import java.util.List;

/** The metrics an alert rule can watch. */
public enum AlertMetric {
    /** Expected calibration error of the labelled predictions in the window, 15 bins. */
    ECE("ece", true),
    /** Population stability index of the confidence histogram against the version's baseline. */
    PSI("psi", false),
    /** Jensen-Shannon distance of the confidence histogram against the baseline. */
    JENSEN_SHANNON("jensenShannon", false),
    /** Population stability index of the predicted-class mix against the baseline. */
    CLASS_MIX_PSI("classMixPsi", false),
    /** Accuracy of the labelled predictions in the window. */
    ACCURACY("accuracy", true),
    /** Accuracy estimated from confidences with the baseline's reliability diagram. */
    ESTIMATED_ACCURACY("estimatedAccuracy", false),
    /** Fraction of predictions in the window whose softmax audit failed. */
    AUDIT_FAILURE_RATE("auditFailureRate", false),
    /**
     * Fraction of the version's ingest records that were rejected:
     * {@code rejected / (rejected + accepted)}, summed over every UTC hour that overlaps the
     * window. {@code rejected} comes from {@code ingest_rejection_hourly} (records that named this
     * model and version, and for version {@code default} also records that named no version), and
     * {@code accepted} from the all-classes rows of {@code analytics_rollup}. {@code minCount}
     * counts {@code rejected + accepted}. The window ends at the newest prediction timestamp or
     * the newest hour with rejections, whichever is later, so a version whose records are all
     * rejected still breaches.
     */
    REJECTION_RATE("rejectionRate", false),
    /** Open, skipped, claimed and escalated review items of the version, regardless of the window. */
    REVIEW_BACKLOG("reviewBacklog", false),
    /** Age in minutes of the oldest open review item of the version, in wall-clock time. */
    OLDEST_OPEN_REVIEW_AGE("oldestOpenReviewAge", false),
    /** Minutes of wall-clock time since the version last received a prediction. */
    NO_DATA("noData", false),
    /**
     * The two-sided CUSUM statistic of {@link CusumDetector} on the top-label confidences of the
     * window, in reference standard deviations, with the baseline's mean and deviation.
     */
    CONFIDENCE_CUSUM("confidenceCusum", false);

    private final String apiName;
    private final boolean labelled;

    AlertMetric(String apiName, boolean labelled) {
        this.apiName = apiName;
        this.labelled = labelled;
    }

    public String apiName() {
        return apiName;
    }

    /** Returns true when {@code minCount} counts labelled predictions instead of all predictions. */
    public boolean countsLabelled() {
        return labelled;
    }

    /** Returns the metric with this API name, or null. */
    public static AlertMetric of(String apiName) {
        return Arrays.stream(values()).filter(m -> m.apiName.equals(apiName)).findFirst().orElse(null);
    }

    public static List<String> apiNames() {
        return Arrays.stream(values()).map(AlertMetric::apiName).toList();
    }
}
