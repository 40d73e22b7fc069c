package health.tessera.exchange.sharing;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.events.AccessGrantChanged;
import health.tessera.events.AccessGrantRows;
import health.tessera.events.EventType;
import health.tessera.events.OutboxWriter;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceIds;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Sharing resources (Consents, referral Tasks), versioned, each version announced as an {@link AccessGrantChanged}
 * through the outbox in the same transaction, so records-service enforces exactly what is stored; the exchange keeps
 * the same grant rows for itself in that transaction. The organisation
 * that recorded one (its custodian) changes it; the organisations it names read it and change what its
 * {@link SharingRule} lets them; anyone else gets 404, as if it did not exist.
 */
@ApplicationScoped
public class SharedResourceStore {

    private final AgroalDataSource dataSource;
    private final FhirContext fhir;
    private final OutboxWriter outbox;

    public SharedResourceStore(AgroalDataSource dataSource, FhirContext fhir, OutboxWriter outbox) {
        this.dataSource = dataSource;
        this.fhir = fhir;
        this.outbox = outbox;
    }

    /** A stored current version: its custodian and the organisations it names. */
    record Stored(int version, String organization, List<String> participants, boolean deleted, String json) {

        boolean visibleTo(String caller) {
            return organization.equals(caller) || participants.contains(caller);
        }
    }

    /** The outcome of an update: the stored version and whether it created the resource. */
    public record Written<T>(T resource, boolean created) {}

    @Transactional
    public <T extends Resource> T create(SharingRule<T> rule, T resource, String organization) {
        return write(rule, ResourceIds.newId(), 1, resource, organization, false);
    }

    /**
     * Replaces resource {@code id} (created when none has that id, as FHIR's update allows); {@code ifMatch}, when
     * given, must name the current version (412 otherwise). A participant's change is checked by the rule and keeps
     * the custodian.
     */
    @Transactional
    public <T extends Resource> Written<T> update(
            SharingRule<T> rule, String id, T resource, String caller, Integer ifMatch) {
        if (!resource.hasIdElement() || !id.equals(resource.getIdElement().getIdPart())) {
            throw FhirException.badRequest("The resource's id must equal the id in the URL (" + id + ")");
        }
        UUID uuid = ResourceIds.asUuid(id)
                .orElseThrow(
                        () -> FhirException.badRequest(rule.resourceType() + " ids are UUIDs; " + id + " is not one"));
        Optional<Stored> current = current(rule, uuid, true);
        if (current.isPresent() && !current.get().visibleTo(caller)) {
            throw FhirException.notFound(rule.resourceType(), id); // as if it did not exist
        }
        if (ifMatch != null && (current.isEmpty() || current.get().version() != ifMatch)) {
            throw new FhirException(
                    412,
                    IssueType.CONFLICT,
                    "Version conflict: If-Match names version " + ifMatch + " but the current version is "
                            + current.map(c -> String.valueOf(c.version())).orElse("none"));
        }
        if (current.isEmpty()) {
            return new Written<>(write(rule, uuid, 1, resource, caller, false), true);
        }
        Stored stored = current.get();
        if (!stored.organization().equals(caller)) {
            if (stored.deleted()) {
                throw FhirException.notFound(rule.resourceType(), id);
            }
            rule.stampCustodian(resource, stored.organization()); // what the body says of it does not count
            rule.requireParticipantChange(parse(rule, stored.json()), resource);
        }
        return new Written<>(write(rule, uuid, stored.version() + 1, resource, stored.organization(), false), false);
    }

    /** Deletes resource {@code id}: a deleted version, and the access it granted ends. Deleting twice changes nothing. */
    @Transactional
    public <T extends Resource> void delete(SharingRule<T> rule, String id, String caller) {
        UUID uuid = ResourceIds.asUuid(id).orElseThrow(() -> FhirException.notFound(rule.resourceType(), id));
        Stored current = current(rule, uuid, true)
                .filter(c -> c.visibleTo(caller))
                .orElseThrow(() -> FhirException.notFound(rule.resourceType(), id));
        if (!current.organization().equals(caller)) {
            throw new FhirException(
                    403,
                    IssueType.FORBIDDEN,
                    "Only the organisation that recorded this " + rule.resourceType() + " may delete it");
        }
        if (!current.deleted()) {
            write(rule, uuid, current.version() + 1, parse(rule, current.json()), caller, true);
        }
    }

    /** The current version, if {@code caller} may see it; 410 when deleted. */
    public <T extends Resource> T read(SharingRule<T> rule, String id, String caller) {
        Stored stored = ResourceIds.asUuid(id)
                .flatMap(uuid -> current(rule, uuid, false))
                .filter(c -> c.visibleTo(caller))
                .orElseThrow(() -> FhirException.notFound(rule.resourceType(), id));
        if (stored.deleted()) {
            throw new FhirException(410, IssueType.DELETED, rule.resourceType() + "/" + id + " was deleted");
        }
        return parse(rule, stored.json());
    }

    /** Version {@code version}, if {@code caller} may see the current one. */
    public <T extends Resource> T vread(SharingRule<T> rule, String id, String version, String caller) {
        read(rule, id, caller); // visibility goes by the current version; a deleted resource's versions are gone too
        String path = rule.resourceType() + "/" + id + "/_history/" + version;
        int wanted;
        try {
            wanted = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw FhirException.notFound(rule.resourceType(), id + "/_history/" + version);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT resource::text FROM shared_resource_version"
                        + " WHERE resource_type = ? AND id = ? AND version = ?")) {
            select.setString(1, rule.resourceType());
            select.setObject(2, UUID.fromString(id));
            select.setInt(3, wanted);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw FhirException.notFound(rule.resourceType(), id + "/_history/" + version);
                }
                return parse(rule, rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /**
     * Search criteria; null means any. {@code caller} sees what it recorded and what names it; {@code participant}
     * keeps what names that organisation.
     */
    public record Criteria(String caller, String patientId, String participant, String status, int count) {}

    public <T extends Resource> List<T> search(SharingRule<T> rule, Criteria criteria) {
        StringBuilder sql = new StringBuilder("SELECT resource::text FROM shared_resource WHERE resource_type = ?"
                + " AND NOT deleted AND (organization = ? OR ? = ANY (participants))");
        List<Object> parameters = new ArrayList<>(List.of(rule.resourceType(), criteria.caller(), criteria.caller()));
        if (criteria.patientId() != null) {
            sql.append(" AND patient_id = ?");
            parameters.add(criteria.patientId());
        }
        if (criteria.participant() != null) {
            sql.append(" AND ? = ANY (participants)");
            parameters.add(criteria.participant());
        }
        if (criteria.status() != null) {
            sql.append(" AND status = ?");
            parameters.add(criteria.status());
        }
        sql.append(" ORDER BY last_updated DESC, id LIMIT ").append(criteria.count());
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<T> found = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(parse(rule, rs.getString(1)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search " + rule.resourceType(), e);
        }
    }

    private <T extends Resource> T write(
            SharingRule<T> rule, UUID id, int version, T resource, String custodian, boolean deleted) {
        if (!deleted) {
            rule.requireEnforceable(resource);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        resource.setId(id.toString());
        resource.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(now));
        rule.stampCustodian(resource, custodian);
        AccessGrantChanged grant = rule.grant(id.toString(), version, resource, custodian, deleted);
        String json = fhir.newJsonParser().encodeResourceToString(resource);
        String status = fhir.newTerser().getSinglePrimitiveValueOrNull(resource, "status");
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement("INSERT INTO shared_resource (resource_type, id,"
                        + " version, organization, patient_id, status, participants, deleted, last_updated, resource)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (resource_type, id) DO UPDATE SET"
                        + " version = excluded.version, patient_id = excluded.patient_id, status = excluded.status,"
                        + " participants = excluded.participants, deleted = excluded.deleted,"
                        + " last_updated = excluded.last_updated, resource = excluded.resource");
                PreparedStatement history = c.prepareStatement("INSERT INTO shared_resource_version (resource_type,"
                        + " id, version, deleted, last_updated, resource) VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
            upsert.setString(1, rule.resourceType());
            upsert.setObject(2, id);
            upsert.setInt(3, version);
            upsert.setString(4, custodian);
            upsert.setString(5, grant.patientId());
            upsert.setString(6, status);
            upsert.setArray(
                    7, c.createArrayOf("text", rule.participants(resource).toArray()));
            upsert.setBoolean(8, deleted);
            upsert.setTimestamp(9, Timestamp.from(now));
            upsert.setString(10, json);
            upsert.executeUpdate();
            history.setString(1, rule.resourceType());
            history.setObject(2, id);
            history.setInt(3, version);
            history.setBoolean(4, deleted);
            history.setTimestamp(5, Timestamp.from(now));
            history.setString(6, json);
            history.executeUpdate();
            // The exchange's own view of the grants in force, for subscription notifications (NotificationQueue).
            AccessGrantRows.apply(c, grant);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store " + rule.resourceType() + "/" + id, e);
        }
        outbox.append(EventType.ACCESS_GRANT_CHANGED, grant.grantId(), grant.grantId(), grant);
        return resource;
    }

    /**
     * Writes the grant rows of every current {@code rule} resource whose version the rows do not have yet: the
     * Consents and Tasks recorded before the exchange kept grant rows, or by a replica that did not write them.
     * Returns how many it wrote.
     */
    @Transactional
    public <T extends Resource> int backfillGrants(SharingRule<T> rule) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT s.id, s.version, s.organization, s.deleted,"
                        + " s.resource::text FROM shared_resource s LEFT JOIN access_grant_version v"
                        + " ON v.grant_id = s.resource_type || '/' || s.id WHERE s.resource_type = ?"
                        + " AND v.version IS DISTINCT FROM s.version")) {
            select.setString(1, rule.resourceType());
            int written = 0;
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    AccessGrantRows.apply(
                            c,
                            rule.grant(
                                    rs.getString(1),
                                    rs.getInt(2),
                                    parse(rule, rs.getString(5)),
                                    rs.getString(3),
                                    rs.getBoolean(4)));
                    written++;
                }
            }
            return written;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the grants of the stored " + rule.resourceType(), e);
        }
    }

    private Optional<Stored> current(SharingRule<?> rule, UUID id, boolean forUpdate) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT version, organization, participants, deleted, resource::text FROM shared_resource"
                                + " WHERE resource_type = ? AND id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            select.setString(1, rule.resourceType());
            select.setObject(2, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stored(
                        rs.getInt(1),
                        rs.getString(2),
                        List.of((String[]) rs.getArray(3).getArray()),
                        rs.getBoolean(4),
                        rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + rule.resourceType() + "/" + id, e);
        }
    }

    private <T extends Resource> T parse(SharingRule<T> rule, String json) {
        return fhir.newJsonParser().parseResource(rule.resourceClass(), json);
    }
}
