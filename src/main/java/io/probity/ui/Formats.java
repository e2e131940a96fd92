package io.probity.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Number and time formats shared by the views. Times are shown in UTC. */
final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    static String percent(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f %%", value * 100);
    }

    static String decimal(Double value, int digits) {
        return value == null ? "–" : String.format(Locale.ROOT, "%." + digits + "f", value);
    }

    static String time(Instant instant) {
        return instant == null ? "–" : TIME.format(instant);
    }

    /** Converts an ISO-8601 instant from a URL to a UTC date-time picker value; null when absent or invalid. */
    static java.time.LocalDateTime toLocal(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return java.time.LocalDateTime.ofInstant(Instant.parse(iso), ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Converts a UTC date-time picker value to an instant; null stays null. */
    static Instant toInstant(java.time.LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
