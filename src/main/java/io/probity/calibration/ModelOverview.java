package io.probity.calibration;

/**
 * One row of the overview page: a model's volume and headline figures over all its data.
 *
 * @param accuracy        null without labels
 * @param ece             15-bin equal-width ECE, null without labels
 * @param auditFailureRate fraction of predictions whose audit verdict is {@code fail}
 */
public record ModelOverview(String model, int versions, long count, long labeledCount, Double accuracy,
                            Double meanConfidence, Double ece, double auditFailureRate) {
}
