package health.tessera.records.domain;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** Runs the dynamically built queries of search and its views: binds values (arrays included) and reads ids. */
public final class Statements {

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
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            bind(c, select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                List<UUID> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
                return ids;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed", e);
        }
    }

    /** A single count. */
    public static int queryCount(DataSource dataSource, String sql, List<Object> parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            bind(c, select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return Math.toIntExact(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed", e);
        }
    }
}
