package io.probity.db;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** Conversions from JDBC arrays read from PostgreSQL. */
public final class SqlArrays {

    private SqlArrays() {
    }

    /** Converts a {@code double precision[]}, with SQL NULL elements as NaN; null for a NULL array. */
    public static double[] doubles(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Double[] boxed = (Double[]) array.getArray();
        double[] values = new double[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            values[i] = boxed[i] == null ? Double.NaN : boxed[i];
        }
        return values;
    }

    /** Converts a {@code text[]}; an empty list for a NULL array. */
    public static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
