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
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Rows for a {@code COPY table (columns) FROM STDIN} in PostgreSQL's text format: a value per column, tabs between
 * them, {@code \N} for null, and backslash, tab, newline and carriage return escaped. New records and their index
 * rows go in this way rather than as multi-row INSERTs: the server then parses no statement and binds no parameter
 * per row, and the driver encodes no parameter. Rows are rendered ahead, off the transaction that sends them
 * ({@link #rendered()}): a Bundle's records are turned into COPY text on the thread that prepares them, so the thread
 * holding the transaction only concatenates and sends ({@link #copyInto}) while the server works.
 */
public final class CopyRows {

    private static final DateTimeFormatter AFTER_THE_YEAR = DateTimeFormatter.ofPattern("-MM-dd HH:mm:ss.SSSSSSSSS");

    /** The characters COPY's text format escapes, and their escapes. */
    private static final char[] ESCAPED = {'\\', '\t', '\n', '\r'};

    private static final String[] ESCAPES = {"\\\\", "\\t", "\\n", "\\r"};

    private final StringBuilder rows = new StringBuilder(256);
    private boolean firstInRow = true;

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
        // Copies the runs between escapes whole, finding each escaped character with String.indexOf (vectorised):
        // a record's JSON is kilobytes, with a backslash here and there, and a loop testing every character took
        // 5% of records-service's CPU during an ingest.
        int[] next = new int[ESCAPED.length];
        for (int k = 0; k < ESCAPED.length; k++) {
            next[k] = text.indexOf(ESCAPED[k]);
        }
        int copied = 0;
        for (int k = nearest(next); k >= 0; k = nearest(next)) {
            int at = next[k];
            rows.append(text, copied, at).append(ESCAPES[k]);
            copied = at + 1;
            next[k] = text.indexOf(ESCAPED[k], copied);
        }
        rows.append(text, copied, text.length());
        return this;
    }

    /** The index in {@code next} of the nearest escaped character still ahead, or -1 when none is. */
    private static int nearest(int[] next) {
        int nearest = -1;
        for (int k = 0; k < next.length; k++) {
            if (next[k] >= 0 && (nearest < 0 || next[k] < next[nearest])) {
                nearest = k;
            }
        }
        return nearest;
    }

    /** The rows so far, as {@link #copyInto} sends them. */
    public String rendered() {
        return rows.toString();
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

    /** Ends the current row and answers the rows so far ({@link #rendered()}). */
    public String endRowRendered() {
        endRow();
        return rendered();
    }

    /** Sends {@link #rendered} rows, if any, into {@code table}'s {@code columns} on {@code c} (in its transaction). */
    public static void copyInto(Connection c, String table, String columns, List<String> renderedRows)
            throws SQLException {
        StringBuilder all = new StringBuilder(4096);
        renderedRows.forEach(all::append);
        if (all.isEmpty()) {
            return;
        }
        String copy = "COPY " + table + " (" + columns + ") FROM STDIN";
        byte[] data = all.toString().getBytes(StandardCharsets.UTF_8);
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new SQLException("cannot send the rows of " + copy, e);
        }
    }
}
