package io.probity.retention;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The length of one partition of the {@code prediction} table. Ranges are aligned on UTC calendar
 * boundaries: midnight for {@link #DAY}, Monday midnight for {@link #WEEK} (ISO weeks) and the
 * first of the month for {@link #MONTH}. A partition contains the event times in {@code [start, next(start))}.
 */
public enum PartitionInterval {
    DAY, WEEK, MONTH;

    private static final DateTimeFormatter NAME_DATE = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);

    /** Parses {@code day}, {@code week} or {@code month}, in any case. */
    public static PartitionInterval parse(String text) {
        for (PartitionInterval interval : values()) {
            if (interval.name().equalsIgnoreCase(text.trim())) {
                return interval;
            }
        }
        throw new IllegalArgumentException("probity.partitions.interval is \"" + text
                + "\"; use day, week or month");
    }

    /** Returns the start of the range that contains {@code instant}. */
    public Instant start(Instant instant) {
        LocalDate date = LocalDate.ofInstant(instant, ZoneOffset.UTC);
        LocalDate start = switch (this) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
        };
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Returns the start of the range after the one that starts at {@code start}. */
    public Instant next(Instant start) {
        LocalDate date = LocalDate.ofInstant(start, ZoneOffset.UTC);
        LocalDate next = switch (this) {
            case DAY -> date.plusDays(1);
            case WEEK -> date.plusWeeks(1);
            case MONTH -> date.plusMonths(1);
        };
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * Returns the table name of a partition that starts at {@code from}: {@code prediction_p} and
     * the UTC date, with the time of day appended when the range does not start at midnight.
     */
    public static String partitionName(Instant from) {
        String date = NAME_DATE.format(from.atOffset(ZoneOffset.UTC));
        long secondOfDay = from.getEpochSecond() - LocalDate.ofInstant(from, ZoneOffset.UTC)
                .atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        return secondOfDay == 0 ? "prediction_p" + date : "prediction_p" + date + "_" + secondOfDay;
    }
}
