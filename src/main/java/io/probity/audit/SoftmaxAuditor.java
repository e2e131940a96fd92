package io.probity.audit;

import java.util.ArrayList;
import java.util.List;

/** Temporary stand-in until the audit branch lands. */
public final class SoftmaxAuditor {
    private SoftmaxAuditor() {
    }

    public static AuditResult audit(double[] logits, double[] reported, int predictedClass, double declaredTemperature,
                                    AuditSettings settings) {
        double t = Double.isNaN(settings.temperatureOverride()) ? declaredTemperature : settings.temperatureOverride();
        double[] recomputed = logits == null ? null : Softmax.softmax(logits, t);
        List<String> causes = new ArrayList<>();
        double maxDiff = Double.NaN;
        if (recomputed != null && reported != null) {
            maxDiff = 0;
            for (int i = 0; i < reported.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(reported[i] - recomputed[i]));
            }
            if (!(maxDiff <= 1e-3)) {
                causes.add("mismatch");
            }
        }
        return new AuditResult(causes.isEmpty() ? Verdict.PASS : Verdict.FAIL, causes, maxDiff, recomputed,
                Double.NaN, null, -1, Double.NaN, "");
    }
}
