package io.probity.ui;

import java.time.Instant;

/**
 * The filters of the model page, as kept in its URL.
 *
 * @param version the chosen version, or null for all versions (drift and temperature then use the
 *     most recently registered one)
 * @param className a predicted class to restrict the figures to, or null
 * @param from inclusive start of the window, or null
 * @param to exclusive end of the window, or null
 */
record ModelFilters(String model, String version, String className, Instant from, Instant to) {
}
