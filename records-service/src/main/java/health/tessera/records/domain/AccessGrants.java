package health.tessera.records.domain;

import health.tessera.events.AccessGrantChanged;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The access grants in force, kept from exchange-service's events: which organisation may read which other
 * organisation's records of which person.
 */
@ApplicationScoped
public class AccessGrants {

    private final AgroalDataSource dataSource;

    public AccessGrants(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Replaces the grant's rows with what {@code changed} says, unless a newer version of the grant is known
     * (events of one grant share a key and arrive in order, but a replay may bring an old one again).
     */
    @Transactional
    public void apply(AccessGrantChanged changed) {
        try (Connection c = dataSource.getConnection()) {
            health.tessera.events.AccessGrantRows.apply(c, changed);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply " + changed.grantId(), e);
        }
    }

    /**
     * What {@code recipient} may read of other organisations' records now: per custodian and record types, the
     * source patients of each person a grant names (every source record of the person's enterprise identity).
     */
    public List<Visibility.AccessGrant> inForce(String recipient) {
        Map<Shared, Set<String>> patients = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT g.custodian, coalesce(g.resource_types, '{}'), g.patient_id, p.patient_id"
                                + " FROM access_grant g"
                                + " LEFT JOIN patient_identity me ON me.patient_id = g.patient_id"
                                + " LEFT JOIN patient_identity p ON p.enterprise_id = me.enterprise_id AND NOT p.deleted"
                                + " WHERE g.recipient = ? AND (g.valid_from IS NULL OR g.valid_from <= now())"
                                + " AND (g.valid_to IS NULL OR g.valid_to > now())")) {
            select.setString(1, recipient);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    List<String> types = List.of((String[]) rs.getArray(2).getArray());
                    Set<String> ids = patients.computeIfAbsent(
                            new Shared(rs.getString(1), Set.copyOf(types)), k -> new LinkedHashSet<>());
                    ids.add(rs.getString(3));
                    if (rs.getString(4) != null) {
                        ids.add(rs.getString(4));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the access grants of " + recipient, e);
        }
        List<Visibility.AccessGrant> grants = new ArrayList<>();
        patients.forEach((shared, ids) ->
                grants.add(new Visibility.AccessGrant(shared.custodian(), Set.copyOf(ids), shared.resourceTypes())));
        return grants;
    }

    /** What a grant shares, apart from whose records: grants that share the same are served as one. */
    private record Shared(String custodian, Set<String> resourceTypes) {}
}
