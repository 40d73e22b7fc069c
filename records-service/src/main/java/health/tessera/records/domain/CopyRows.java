package health.tessera.records.domain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.postgresql.PGConnection;

/**
 * Rows for one {@code COPY table (columns) FROM STDIN} in PostgreSQL's text format: a value per column, tabs between
 * them, {@code \N} for null, and backslash, tab, newline and carriage return escaped. New records and their index
 * rows go in this way rather than as multi-row INSERTs: the server then parses no statement and binds no parameter
 * per row, and the driver encodes no parameter.
 */
public final class CopyRows {

    private static final DateTimeFormatter AFTER_THE_YEAR = DateTimeFormatter.ofPattern("-MM-dd HH:mm:ss.SSSSSSSSS");

    private final String copy;
    private final StringBuilder rows = new StringBuilder(4096);
    private boolean firstInRow = true;

    public CopyRows(String table, String columns) {
        this.copy = "COPY " + table + " (" + columns + ") FROM STDIN";
    }

    /** Appends one column's value ({@code null}: SQL NULL; otherwise its {@code toString()}). */
    public CopyRows value(Object value) {
        if (!firstInRow) {
            rows.append('\t');
        }
        firstInRow = false;
        if (value == null) {
            rows.append("\\N");
            return this;
        }
        String text = value instanceof Instant instant ? timestamptz(instant) : value.toString();
        // Copies the runs between escapes whole: a record's JSON is kilobytes, with a backslash here and there.
        int copied = 0;
        for (int i = 0; i < text.length(); i++) {
            String escape = switch (text.charAt(i)) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escape != null) {
                rows.append(text, copied, i).append(escape);
                copied = i + 1;
            }
        }
        rows.append(text, copied, text.length());
        return this;
    }

    /**
     * An instant as PostgreSQL reads a timestamptz, in UTC, for every year a FHIR date can reach: Instant.toString()
     * writes the end of 9999-12-31 as "+10000-01-01T00:00:00Z", which the server refuses, and years before 1 AD
     * (0001-01-01T00:00:00+14:00 is in 1 BC in UTC) need the era.
     */
    static String timestamptz(Instant instant) {
        OffsetDateTime utc = instant.atOffset(ZoneOffset.UTC);
        int year = utc.getYear();
        String digits = String.valueOf(year > 0 ? year : 1 - year);
        StringBuilder text = new StringBuilder(36);
        text.append("0".repeat(Math.max(0, 4 - digits.length()))).append(digits);
        text.append(AFTER_THE_YEAR.format(utc)).append("+00");
        return year > 0 ? text.toString() : text.append(" BC").toString();
    }

    /** Ends the current row. */
    public void endRow() {
        rows.append('\n');
        firstInRow = true;
    }

    /** Sends the rows, if any, on {@code c} (in its transaction). */
    public void copyInto(Connection c) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        byte[] data = rows.toString().getBytes(StandardCharsets.UTF_8);
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new SQLException("cannot send the rows of " + copy, e);
        }
    }
}
