package io.probity.analytics;

import java.util.List;

/**
 * The model versions that one analytics request covers, all with the same class list.
 *
 * @param version the requested version, or null when the request covers every version
 * @param versionIds primary keys of the covered {@code model_version} rows
 * @param classes the class names, indexed as the stored class columns
 */
public record ModelScope(String model, String version, long[] versionIds, List<String> classes) {

    /** Returns the id of the single covered version; callers use it only for a one-version scope. */
    public long versionId() {
        return versionIds[0];
    }
}
