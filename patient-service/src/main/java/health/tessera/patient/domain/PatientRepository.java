package health.tessera.patient.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

/** Source Patient rows in patient-service's database. Callers own the transaction. */
@ApplicationScoped
public class PatientRepository {

    private final AgroalDataSource dataSource;

    public PatientRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insert(SourcePatient patient) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement row = c.prepareStatement(
                        "INSERT INTO patient (id, organization, enterprise_id, version, resource, last_updated)"
                                + " VALUES (?, ?, ?, ?, ?::jsonb, ?)");
                PreparedStatement history = c.prepareStatement(
                        "INSERT INTO patient_version (id, version, resource, last_updated) VALUES (?, ?, ?::jsonb, ?)")) {
            Timestamp lastUpdated = Timestamp.from(patient.lastUpdated());
            row.setObject(1, patient.id());
            row.setString(2, patient.organization());
            row.setObject(3, patient.enterpriseId());
            row.setInt(4, patient.version());
            row.setString(5, patient.json());
            row.setTimestamp(6, lastUpdated);
            row.executeUpdate();
            history.setObject(1, patient.id());
            history.setInt(2, patient.version());
            history.setString(3, patient.json());
            history.setTimestamp(4, lastUpdated);
            history.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store Patient " + patient.id(), e);
        }
    }

    public Optional<SourcePatient> find(UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT id, organization, enterprise_id, version, last_updated, resource::text FROM patient WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read Patient " + id, e);
        }
    }

    /** Ids of the organisation's patients that carry the identifier (any system when {@code system} is null). */
    public java.util.List<UUID> findByIdentifier(String organization, String system, String value) {
        String probe = system == null
                ? "{\"identifier\":[{\"value\":" + json(value) + "}]}"
                : "{\"identifier\":[{\"system\":" + json(system) + ",\"value\":" + json(value) + "}]}";
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT id FROM patient WHERE organization = ? AND resource @> ?::jsonb ORDER BY created_at LIMIT 100")) {
            select.setString(1, organization);
            select.setString(2, probe);
            try (ResultSet rs = select.executeQuery()) {
                java.util.List<UUID> ids = new java.util.ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
                return ids;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search patients by identifier", e);
        }
    }

    /** Every current source patient, for building the matching index at start: (id, organisation, JSON). */
    public void forEach(java.util.function.Consumer<SourcePatient> each) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT id, organization, enterprise_id, version, last_updated, resource::text FROM patient")) {
            select.setFetchSize(1000);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    each.accept(row(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read patients", e);
        }
    }

    /** A row of {@code id, organization, enterprise_id, version, last_updated, resource::text}. */
    private static SourcePatient row(ResultSet rs) throws SQLException {
        return new SourcePatient(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getObject(3, UUID.class),
                rs.getInt(4),
                rs.getTimestamp(5).toInstant(),
                rs.getString(6));
    }

    /** A JSON string literal (the probe is built as text, so the value must be escaped). */
    private static String json(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
