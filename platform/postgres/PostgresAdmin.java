import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * What ./tessera asks of PostgreSQL, through JDBC so that no psql client is needed. Launched as a source file
 * with the driver on the class path.
 *
 * <pre>
 *   PostgresAdmin ready  HOST PORT SUPERUSER                  exit 0 when the server accepts a connection
 *   PostgresAdmin ensure HOST PORT SUPERUSER DB...            role 'tessera' and the databases, owned by it
 *   PostgresAdmin drop   HOST PORT SUPERUSER DB...            drops the databases (open sessions are ended)
 * </pre>
 *
 * The superuser's password, when the server wants one, comes from TESSERA_PG_PASSWORD.
 */
public class PostgresAdmin {

    public static void main(String[] args) throws Exception {
        String command = args[0];
        String url = "jdbc:postgresql://" + args[1] + ":" + args[2] + "/postgres?connectTimeout=3";
        String user = args[3];
        List<String> databases = Arrays.asList(args).subList(4, args.length);
        String password = System.getenv().getOrDefault("TESSERA_PG_PASSWORD", "");
        try (Connection admin = DriverManager.getConnection(url, user, password)) {
            switch (command) {
                case "ready" -> {}
                case "ensure" -> ensure(admin, databases);
                case "drop" -> drop(admin, databases);
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
        } catch (SQLException e) {
            System.err.println("PostgreSQL at " + args[1] + ":" + args[2] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static void ensure(Connection admin, List<String> databases) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            try (ResultSet autovacuum = statement.executeQuery("SHOW autovacuum")) {
                if (autovacuum.next() && "off".equals(autovacuum.getString(1))) {
                    // Tables are then never analysed: plans stay those made for empty tables. The services plan
                    // their hot statements per execution and analyse after bulk loads, but a server with
                    // autovacuum is what they are made for.
                    System.err.println("warning: PostgreSQL runs with autovacuum = off; tables are never analysed"
                            + " (turn it on in postgresql.conf for production-like figures)");
                }
            }
            if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", "tessera")) {
                statement.execute("CREATE ROLE tessera LOGIN PASSWORD 'tessera' CREATEDB");
            }
            for (String database : databases) {
                if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", safe(database))) {
                    statement.execute("CREATE DATABASE " + database + " OWNER tessera");
                }
            }
        }
    }

    private static void drop(Connection admin, List<String> databases) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            for (String database : databases) {
                statement.execute("DROP DATABASE IF EXISTS " + safe(database) + " WITH (FORCE)");
            }
        }
    }

    private static boolean exists(Connection admin, String sql, String name) throws SQLException {
        try (PreparedStatement query = admin.prepareStatement(sql)) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String safe(String identifier) {
        if (!identifier.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("unsafe database name " + identifier);
        }
        return identifier;
    }
}
