package health.tessera.patient.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The matching models stored in {@code match_model}: the newest is in force. */
@ApplicationScoped
public class MatchModelStore {

    /** One stored model; {@code parametersJson} is null for the built-in defaults. */
    public record StoredModel(
            int version, String source, String parametersJson, String summary, String actor, Instant createdAt) {}

    private final AgroalDataSource dataSource;

    public MatchModelStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The model in force, if one was ever stored. */
    public Optional<StoredModel> current() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT version, source, parameters::text, summary,"
                        + " actor, created_at FROM match_model ORDER BY version DESC LIMIT 1")) {
            try (ResultSet rs = select.executeQuery()) {
                return rs.next()
                        ? Optional.of(new StoredModel(
                                rs.getInt(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getTimestamp(6).toInstant()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the matching model", e);
        }
    }

    /** The version of the model in force (0: none stored), cheap enough to ask before every decision. */
    public int currentVersion() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT coalesce(max(version), 0) FROM match_model");
                ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the matching model", e);
        }
    }

    public StoredModel save(String source, String parametersJson, String summary, String actor) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO match_model (source, parameters, summary,"
                        + " actor) VALUES (?, ?::jsonb, ?, ?) RETURNING version, created_at")) {
            insert.setString(1, source);
            insert.setString(2, parametersJson);
            insert.setString(3, summary);
            insert.setString(4, actor);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new StoredModel(
                        rs.getInt(1),
                        source,
                        parametersJson,
                        summary,
                        actor,
                        rs.getTimestamp(2).toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the matching model", e);
        }
    }
}
