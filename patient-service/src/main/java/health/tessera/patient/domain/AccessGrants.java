package health.tessera.patient.domain;

import health.tessera.events.AccessGrantChanged;
import health.tessera.events.AccessGrantRows;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The access grants in force (consents and accepted referrals recorded at exchange-service): an organisation a
 * grant names reads the custodian's source records of that person (every record of the custodian in the
 * person's enterprise identity), as records-service lets it read the person's clinical records.
 */
@ApplicationScoped
public class AccessGrants {

    private final AgroalDataSource dataSource;

    public AccessGrants(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional
    public void apply(AccessGrantChanged changed) {
        try (Connection c = dataSource.getConnection()) {
            AccessGrantRows.apply(c, changed);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply " + changed.grantId(), e);
        }
    }

    /** Whether a grant in force lets {@code recipient} read {@code patient}, a source record of another organisation. */
    public boolean mayRead(String recipient, SourcePatient patient) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM access_grant g"
                        + " JOIN patient named ON named.id::text = g.patient_id"
                        + " WHERE g.recipient = ? AND g.custodian = ? AND named.enterprise_id = ?"
                        + " AND (g.resource_types IS NULL OR 'Patient' = ANY (g.resource_types))"
                        + " AND (g.valid_from IS NULL OR g.valid_from <= now())"
                        + " AND (g.valid_to IS NULL OR g.valid_to > now()))")) {
            select.setString(1, recipient);
            select.setString(2, patient.organization());
            select.setObject(3, patient.enterpriseId());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the access grants of " + recipient, e);
        }
    }
}
