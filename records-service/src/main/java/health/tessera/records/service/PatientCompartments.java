package health.tessera.records.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The source patient records that belong to one person, from the enterprise identities patient-service
 * announces: what $everything follows, and what a patient-context token may see.
 */
@ApplicationScoped
public class PatientCompartments {

    private final AgroalDataSource dataSource;

    public PatientCompartments(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * {@code patientId} (a source record's id or an enterprise id) and every source record linked to the same
     * enterprise identity; just {@code patientId} before its identity is known.
     */
    public Set<String> sourcePatients(String patientId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT p.patient_id FROM patient_identity p"
                        + " JOIN patient_identity me ON me.enterprise_id = p.enterprise_id"
                        + " WHERE me.patient_id = ? AND NOT me.deleted AND NOT p.deleted"
                        + " UNION SELECT patient_id FROM patient_identity WHERE enterprise_id = ? AND NOT deleted")) {
            select.setString(1, patientId);
            select.setString(2, patientId);
            Set<String> ids = new LinkedHashSet<>();
            ids.add(patientId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the identity of Patient/" + patientId, e);
        }
    }
}
