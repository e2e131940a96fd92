package io.probity.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * Parses record timestamps with the rules of {@link OffsetDateTime#parse(CharSequence)} (ISO-8601
 * with an offset), with a fast path for the usual form {@code 2026-06-01T12:30:00.123Z}.
 *
 * <p>The fast path reads a four-digit year, {@code T}, {@code HH:mm}, optional {@code :ss}, an
 * optional fraction of 1 to 9 digits and an offset of {@code Z} or {@code ±HH:MM}. Any other text,
 * and any field out of range, goes to {@code OffsetDateTime.parse}, so the accepted inputs, the
 * results and the exceptions are those of {@code OffsetDateTime.parse}. The formatter behind that
 * method took about 9 % of the server's JFR execution samples in bench/ingest-load.sh.
 */
final class EventTimeParser {

    private static final int SECONDS_PER_DAY = 86_400;
    private static final int MAX_OFFSET_HOURS = 18;

    private EventTimeParser() {
    }

    /**
     * Returns the instant of an ISO-8601 date-time with an offset.
     *
     * @throws DateTimeParseException when {@code OffsetDateTime.parse} rejects the text
     */
    static Instant parse(String text) {
        Instant fast = parseCommonForm(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /** Returns the instant for text in the common form, or null for anything else. */
    static Instant parseCommonForm(String text) {
        int length = text.length();
        if (length < 17 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }

        int position = 16;
        int second = 0;
        if (position < length && text.charAt(position) == ':') {
            second = position + 3 <= length ? digits(text, position + 1, 2) : -1;
            if (second < 0 || second > 59) {
                return null;
            }
            position += 3;
        }

        int nanos = 0;
        if (position < length && text.charAt(position) == '.') {
            int start = ++position;
            while (position < length && isDigit(text.charAt(position))) {
                position++;
            }
            int count = position - start;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = digits(text, start, count);
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }

        int offsetSeconds = offsetSeconds(text, position);
        if (offsetSeconds == Integer.MIN_VALUE) {
            return null;
        }

        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** Returns the offset in seconds for {@code Z} or {@code ±HH:MM} ending the text, or Integer.MIN_VALUE. */
    private static int offsetSeconds(String text, int position) {
        int remaining = text.length() - position;
        if (remaining == 1 && text.charAt(position) == 'Z') {
            return 0;
        }
        if (remaining != 6 || text.charAt(position + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        char sign = text.charAt(position);
        int hours = digits(text, position + 1, 2);
        int minutes = digits(text, position + 4, 2);
        if ((sign != '+' && sign != '-') || hours < 0 || minutes < 0 || minutes > 59 || hours > MAX_OFFSET_HOURS
                || (hours == MAX_OFFSET_HOURS && minutes > 0)) {
            return Integer.MIN_VALUE;
        }
        int seconds = hours * 3600 + minutes * 60;
        return sign == '-' ? -seconds : seconds;
    }

    /** Returns the value of {@code count} ASCII digits from {@code start}, or -1 when one is not a digit. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
