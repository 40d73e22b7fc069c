package health.tessera.records.domain;

import health.tessera.fhir.FhirException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Runs the dynamically built queries of search and its views: binds values (arrays included) and reads ids. */
public final class Statements {

    /** PostgreSQL's SQLSTATE for a statement cancelled (here: by its timeout). */
    private static final String QUERY_CANCELED = "57014";

    private Statements() {}

    /** Binds {@code parameters} in order; UUID[] and String[] become SQL arrays. */
    public static void bind(Connection connection, PreparedStatement statement, List<Object> parameters)
            throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value instanceof UUID[] uuids) {
                statement.setArray(i + 1, connection.createArrayOf("uuid", uuids));
            } else if (value instanceof String[] texts) {
                statement.setArray(i + 1, connection.createArrayOf("text", texts));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    /** The first column of every row, as UUIDs. */
    public static List<UUID> queryIds(DataSource dataSource, String sql, List<Object> parameters) {
        return queryIds(dataSource, sql, parameters, null);
    }

    /**
     * The first column of every row, as UUIDs; a query still running after {@code timeout} (when not null) is
     * cancelled in PostgreSQL and answered as too costly ({@link #tooCostly}).
     */
    public static List<UUID> queryIds(DataSource dataSource, String sql, List<Object> parameters, Duration timeout) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            bind(c, select, parameters);
            limit(select, timeout);
            try (ResultSet rs = select.executeQuery()) {
                List<UUID> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
                return ids;
            }
        } catch (SQLException e) {
            throw failure(e, timeout);
        }
    }

    /** A single count, cancelled like {@link #queryIds(DataSource, String, List, Duration)} after {@code timeout}. */
    public static int queryCount(DataSource dataSource, String sql, List<Object> parameters, Duration timeout) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            bind(c, select, parameters);
            limit(select, timeout);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return Math.toIntExact(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw failure(e, timeout);
        }
    }

    private static void limit(PreparedStatement select, Duration timeout) throws SQLException {
        if (timeout != null) {
            // JDBC counts whole seconds; pgjdbc sends PostgreSQL a cancel request when they have passed.
            select.setQueryTimeout((int) Math.max(1, Math.ceil(timeout.toMillis() / 1000.0)));
        }
    }

    private static RuntimeException failure(SQLException e, Duration timeout) {
        if (timeout != null && QUERY_CANCELED.equals(e.getSQLState())) {
            return tooCostly(timeout);
        }
        return new IllegalStateException("query failed", e);
    }

    /**
     * A search stopped after {@code timeout}: 413 too-costly, as for a result set over the limit. Without it the
     * query would run on after the gateway stopped waiting (504), holding a connection for nothing.
     */
    static FhirException tooCostly(Duration timeout) {
        return new FhirException(
                413,
                IssueType.TOOCOSTLY,
                "The search did not finish within " + timeout.toSeconds() + " s and was stopped: narrow it (a patient,"
                        + " a code, a date range) or read in bulk with $export");
    }
}
