package io.probity.review;

import java.util.List;

/**
 * Writes review history as CSV (RFC 4180: comma-separated, CRLF line ends, fields with commas,
 * quotes or line breaks quoted with doubled quotes). A text field that starts with {@code =},
 * {@code +}, {@code -}, {@code @}, tab or carriage return gets a leading apostrophe, so that
 * spreadsheet programs show a reviewer's note as text instead of running it as a formula.
 */
public final class HistoryCsv {

    public static final String HEADER = "id,item_id,at,actor,action,before,after,note";

    private HistoryCsv() {
    }

    public static String write(List<ReviewHistoryEntry> entries) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (ReviewHistoryEntry entry : entries) {
            // The derived queued entry has no history id; like other missing values it is left empty.
            csv.append(entry.id() == null ? "" : entry.id()).append(',')
                    .append(entry.itemId()).append(',')
                    .append(entry.at()).append(',')
                    .append(field(entry.actor())).append(',')
                    .append(field(entry.action())).append(',')
                    .append(field(entry.before() == null ? null : entry.before().toString())).append(',')
                    .append(field(entry.after().toString())).append(',')
                    .append(field(entry.note())).append("\r\n");
        }
        return csv.toString();
    }

    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
