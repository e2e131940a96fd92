package io.probity.ingest;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventTimeParserTest {

    private static final List<String> COMMON_FORMS = List.of(
            "2026-06-01T00:00:00Z",
            "2026-06-01T12:30Z",
            "2026-06-01T12:30:45.1Z",
            "2026-06-01T12:30:45.123456789Z",
            "2026-06-01T12:30:45.000+02:00",
            "2026-06-01T00:15:00-05:30",
            "2024-02-29T23:59:59.999Z",
            "2000-02-29T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999-18:00",
            "1970-01-01T00:00:00+18:00",
            "1969-12-31T23:59:59.5Z",
            "2026-06-01T00:00:00-00:00");

    /** Valid ISO-8601 text outside the fast path, and invalid text; both must behave as OffsetDateTime.parse. */
    private static final List<String> OTHER_FORMS = List.of(
            "2026-06-01t00:00:00z",
            "2026-06-01T00:00:00+02",
            "2026-06-01T00:00:00+0200",
            "2026-06-01T00:00:00+02:00:30",
            "+12026-06-01T00:00:00Z",
            "2026-06-01T00:00:00.Z",
            "2026-06-01T00:00:00.1234567890Z",
            "2026-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-06-00T00:00:00Z",
            "2026-06-01T24:00:00Z",
            "2026-06-01T23:60:00Z",
            "2026-06-01T23:59:60Z",
            "2026-06-01T00:00:00+19:00",
            "2026-06-01T00:00:00+18:01",
            "2026-06-01T00:00:00+02:60",
            "2026-06-01T00:00:00*02:00",
            "2026-06-01T00:00:00",
            "2026-06-01T00:00:0Z",
            "2026-06-01T0:00:00Z",
            "2026-6-01T00:00:00Z",
            "2026-06-01 00:00:00Z",
            "2026-06-01T00:00:00ZZ",
            "２０２６-06-01T00:00:00Z",
            "2026-06-01",
            "");

    @Test
    void commonFormsMatchOffsetDateTime() {
        for (String text : COMMON_FORMS) {
            assertNotNull(EventTimeParser.parseCommonForm(text), "fast path taken for " + text);
            assertEquals(OffsetDateTime.parse(text).toInstant(), EventTimeParser.parse(text), text);
        }
    }

    @Test
    void otherFormsBehaveAsOffsetDateTime() {
        for (String text : OTHER_FORMS) {
            assertSameOutcome(text);
        }
    }

    @Test
    void fastPathRejectsInvalidFields() {
        assertNull(EventTimeParser.parseCommonForm("2026-02-29T00:00:00Z"), "29 February of a common year");
        assertNull(EventTimeParser.parseCommonForm("2026-06-01T24:00:00Z"), "hour 24");
        assertNull(EventTimeParser.parseCommonForm("2026-06-01T00:00:00+18:30"), "offset beyond 18 hours");
    }

    @Test
    void randomTimestampsMatchOffsetDateTime() {
        SplittableRandom random = new SplittableRandom(20260601L);
        for (int i = 0; i < 20_000; i++) {
            String text = randomTimestamp(random);
            assertSameOutcome(text);
        }
    }

    private static void assertSameOutcome(String text) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            DateTimeParseException actual = assertThrows(DateTimeParseException.class, () -> EventTimeParser.parse(text),
                    "rejection of " + text);
            assertEquals(e.getMessage(), actual.getMessage(), "message for " + text);
            return;
        }
        assertEquals(expected, EventTimeParser.parse(text), text);
    }

    /** Returns a timestamp with random fields, some of them out of range, in the forms of the fast path. */
    private static String randomTimestamp(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%04d-%02d-%02dT%02d:%02d", random.nextInt(10_000), random.nextInt(14),
                random.nextInt(33), random.nextInt(25), random.nextInt(61)));
        if (random.nextBoolean()) {
            text.append(String.format(":%02d", random.nextInt(61)));
            int fractionDigits = random.nextInt(11);
            if (fractionDigits > 0) {
                text.append('.');
                for (int d = 0; d < fractionDigits; d++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
        }
        switch (random.nextInt(3)) {
            case 0 -> text.append('Z');
            case 1 -> text.append(String.format("+%02d:%02d", random.nextInt(20), random.nextInt(61)));
            default -> text.append(String.format("-%02d:%02d", random.nextInt(20), random.nextInt(61)));
        }
        return text.toString();
    }
}
