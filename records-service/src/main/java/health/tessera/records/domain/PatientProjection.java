package health.tessera.records.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** records-service's copy of patient identities, fed by tessera.patient.v1. */
@ApplicationScoped
public class PatientProjection {

    private final AgroalDataSource dataSource;

    public PatientProjection(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores the patient's latest known version; an older version arriving late never overwrites a newer one.
     * Returns whether this version was stored.
     */
    public boolean upsert(
            String patientId, String enterpriseId, String organization, int version, String resourceJson) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement(
                        "INSERT INTO patient_projection (patient_id, enterprise_id, organization, version, resource)"
                                + " VALUES (?, ?, ?, ?, ?::jsonb)"
                                + " ON CONFLICT (patient_id) DO UPDATE SET enterprise_id = excluded.enterprise_id,"
                                + " organization = excluded.organization, version = excluded.version,"
                                + " resource = excluded.resource, updated_at = now()"
                                + " WHERE patient_projection.version < excluded.version")) {
            upsert.setString(1, patientId);
            upsert.setString(2, enterpriseId);
            upsert.setString(3, organization);
            upsert.setInt(4, version);
            upsert.setString(5, resourceJson);
            return upsert.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot project Patient/" + patientId, e);
        }
    }

    /**
     * Records that a source patient belongs to an enterprise identity, unless a link with a higher number is known
     * already (link events of one patient can arrive out of order: they are keyed by identity).
     */
    public void link(String patientId, String enterpriseId, int linkVersion) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement(
                        "INSERT INTO patient_identity (patient_id, enterprise_id, link_version) VALUES (?, ?, ?)"
                                + " ON CONFLICT (patient_id) DO UPDATE SET enterprise_id = excluded.enterprise_id,"
                                + " link_version = excluded.link_version"
                                + " WHERE patient_identity.link_version < excluded.link_version"
                                + " AND NOT patient_identity.deleted")) {
            upsert.setString(1, patientId);
            upsert.setString(2, enterpriseId);
            upsert.setInt(3, linkVersion);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the identity of Patient/" + patientId, e);
        }
    }

    /**
     * Turns the patient into a tombstone at the deletion's version: out of searches, chains, exports and its
     * identity. An older event arriving later finds the higher version and changes nothing.
     */
    public void markDeleted(String patientId, String enterpriseId, String organization, int version, String json) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement projection = c.prepareStatement("INSERT INTO patient_projection"
                        + " (patient_id, enterprise_id, organization, version, resource, deleted)"
                        + " VALUES (?, ?, ?, ?, ?::jsonb, true) ON CONFLICT (patient_id) DO UPDATE SET deleted = true,"
                        + " version = excluded.version, updated_at = now()"
                        + " WHERE patient_projection.version < excluded.version");
                PreparedStatement identity = c.prepareStatement("INSERT INTO patient_identity"
                        + " (patient_id, enterprise_id, link_version, deleted) VALUES (?, ?, 0, true)"
                        + " ON CONFLICT (patient_id) DO UPDATE SET deleted = true")) {
            projection.setString(1, patientId);
            projection.setString(2, enterpriseId);
            projection.setString(3, organization);
            projection.setInt(4, version);
            projection.setString(5, json);
            projection.executeUpdate();
            identity.setString(1, patientId);
            identity.setString(2, enterpriseId);
            identity.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot mark Patient/" + patientId + " deleted", e);
        }
    }

    /** The organisation that holds source patient {@code patientId}, unless it is unknown here or deleted. */
    public Optional<String> organizationOf(String patientId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT organization FROM patient_projection WHERE patient_id = ? AND NOT deleted")) {
            select.setString(1, patientId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the projection of Patient/" + patientId, e);
        }
    }

    /** The enterprise id of a source patient, if records-service has heard of it. */
    public Optional<String> enterpriseId(String patientId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT enterprise_id FROM patient_identity WHERE patient_id = ?")) {
            select.setString(1, patientId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the projection of Patient/" + patientId, e);
        }
    }
}
