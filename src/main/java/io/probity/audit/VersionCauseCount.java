package io.probity.audit;

/** How many predictions of a model version carried an audit cause, and their share of the version's predictions. */
public record VersionCauseCount(String model, String version, String cause, long count, long total) {

    public double share() {
        return total == 0 ? 0 : (double) count / total;
    }
}
