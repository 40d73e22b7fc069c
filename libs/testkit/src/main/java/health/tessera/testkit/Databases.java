package health.tessera.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Direct access to the platform's PostgreSQL for tests that check what a service committed. */
public final class Databases {

    private Databases() {}

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(
                TesseraEndpoints.jdbcUrl(database),
                TesseraEndpoints.setting("tessera.db.user", "tessera"),
                TesseraEndpoints.setting("tessera.db.password", "tessera"));
    }

    /** A fresh, empty database owned by the tessera role (dropped first if it exists). */
    public static void recreate(String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("unsafe database name " + database);
        }
        try (Connection admin = connect("postgres");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
    }

    public static void drop(String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("unsafe database name " + database);
        }
        try (Connection admin = connect("postgres");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** The single long value a query returns (counts, mostly). */
    public static long queryLong(String database, String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect(database);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
