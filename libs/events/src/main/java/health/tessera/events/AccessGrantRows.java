package health.tessera.events;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The rows of the access grants in force ({@code access_grant}, {@code access_grant_version}: the same tables in
 * every service that enforces consents), kept from {@link EventType#ACCESS_GRANT_CHANGED} events.
 */
public final class AccessGrantRows {

    private AccessGrantRows() {}

    /**
     * Replaces the grant's rows with what {@code changed} says, unless a newer version of the grant is known
     * (events of one grant share a key and arrive in order, but a replay may bring an old one again). Runs in the
     * caller's transaction.
     */
    public static void apply(Connection c, AccessGrantChanged changed) throws SQLException {
        try (PreparedStatement version = c.prepareStatement(
                        "INSERT INTO access_grant_version (grant_id, version) VALUES (?, ?) ON CONFLICT (grant_id)"
                                + " DO UPDATE SET version = excluded.version"
                                + " WHERE access_grant_version.version < excluded.version");
                PreparedStatement delete = c.prepareStatement("DELETE FROM access_grant WHERE grant_id = ?");
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO access_grant (grant_id, recipient, custodian, patient_id, resource_types,"
                                + " valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            version.setString(1, changed.grantId());
            version.setInt(2, changed.version());
            if (version.executeUpdate() == 0) {
                return; // this version or a newer one is applied already
            }
            delete.setString(1, changed.grantId());
            delete.executeUpdate();
            if (!changed.active()) {
                return;
            }
            Array types = changed.resourceTypes().isEmpty()
                    ? null
                    : c.createArrayOf("text", changed.resourceTypes().toArray());
            for (String recipient : changed.recipients()) {
                insert.setString(1, changed.grantId());
                insert.setString(2, recipient);
                insert.setString(3, changed.custodian());
                insert.setString(4, changed.patientId());
                insert.setArray(5, types);
                insert.setTimestamp(6, changed.validFrom() == null ? null : Timestamp.from(changed.validFrom()));
                insert.setTimestamp(7, changed.validTo() == null ? null : Timestamp.from(changed.validTo()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
