package health.tessera.alerts.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Flag rows in alerts-service's database. Callers own the transaction. */
@ApplicationScoped
public class FlagRepository {

    private final AgroalDataSource dataSource;

    public FlagRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts the flag unless this rule already flagged this source record; returns whether it inserted. */
    public boolean insertOnce(
            UUID id, String organization, String patientId, String rule, String sourceRecord, String json) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO flag (id, organization, patient_id, rule, source_record, status, resource)"
                                + " VALUES (?, ?, ?, ?, ?, 'active', ?::jsonb) ON CONFLICT (rule, source_record) DO NOTHING")) {
            insert.setObject(1, id);
            insert.setString(2, organization);
            insert.setString(3, patientId);
            insert.setString(4, rule);
            insert.setString(5, sourceRecord);
            insert.setString(6, json);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store a flag for " + sourceRecord, e);
        }
    }

    public Optional<StoredFlag> find(UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT organization, resource::text FROM flag WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new StoredFlag(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read Flag/" + id, e);
        }
    }

    /** The flags of a patient visible to an organisation, newest first. */
    public List<String> findByPatient(String patientId, String organization, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT resource::text FROM flag WHERE patient_id = ? AND organization = ? ORDER BY created_at DESC LIMIT ?")) {
            select.setString(1, patientId);
            select.setString(2, organization);
            select.setInt(3, limit);
            try (ResultSet rs = select.executeQuery()) {
                List<String> flags = new ArrayList<>();
                while (rs.next()) {
                    flags.add(rs.getString(1));
                }
                return flags;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search flags of Patient/" + patientId, e);
        }
    }

    public record StoredFlag(String organization, String json) {}
}
