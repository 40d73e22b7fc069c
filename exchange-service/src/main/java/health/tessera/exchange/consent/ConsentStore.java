package health.tessera.exchange.consent;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.events.AccessGrantChanged;
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
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Privacy consents, versioned, each version announced as an {@link AccessGrantChanged} through the outbox in the
 * same transaction, so the records-service enforces exactly what is stored. Only the organisation that recorded a
 * consent (its custodian) changes it; the custodian and the organisations it names may read it; anyone else gets
 * 404, as if it did not exist.
 */
@ApplicationScoped
public class ConsentStore {

    private final AgroalDataSource dataSource;
    private final FhirContext fhir;
    private final OutboxWriter outbox;

    public ConsentStore(AgroalDataSource dataSource, FhirContext fhir, OutboxWriter outbox) {
        this.dataSource = dataSource;
        this.fhir = fhir;
        this.outbox = outbox;
    }

    /** A stored version: its custodian and whom the version names as recipients. */
    public record Stored(
            UUID id, int version, String organization, List<String> recipients, boolean deleted, String json) {

        boolean visibleTo(String caller) {
            return organization.equals(caller) || recipients.contains(caller);
        }
    }

    @Transactional
    public Consent create(Consent consent, String organization) {
        return write(ResourceIds.newId(), 1, consent, organization, false);
    }

    /**
     * Replaces consent {@code id} (created when no consent has that id, as FHIR's update allows); {@code ifMatch},
     * when given, must name the current version (412 otherwise).
     */
    @Transactional
    public Written update(String id, Consent consent, String organization, Integer ifMatch) {
        if (!consent.hasIdElement() || !id.equals(consent.getIdElement().getIdPart())) {
            throw FhirException.badRequest("The resource's id must equal the id in the URL (" + id + ")");
        }
        UUID uuid = ResourceIds.asUuid(id)
                .orElseThrow(() -> FhirException.badRequest("Consent ids are UUIDs; " + id + " is not one"));
        Optional<Stored> current = current(uuid, true);
        if (current.isPresent() && !current.get().organization().equals(organization)) {
            // another custodian's consent, or one not visible at all: as if it did not exist
            throw FhirException.notFound("Consent", id);
        }
        if (ifMatch != null && (current.isEmpty() || current.get().version() != ifMatch)) {
            throw new FhirException(
                    412,
                    IssueType.CONFLICT,
                    "Version conflict: If-Match names version " + ifMatch + " but the current version is "
                            + current.map(c -> String.valueOf(c.version())).orElse("none"));
        }
        int version = current.map(c -> c.version() + 1).orElse(1);
        return new Written(write(uuid, version, consent, organization, false), current.isEmpty());
    }

    public record Written(Consent consent, boolean created) {}

    /** Deletes consent {@code id}: a deleted version, and the access it granted ends. Deleting twice changes nothing. */
    @Transactional
    public void delete(String id, String organization) {
        UUID uuid = ResourceIds.asUuid(id).orElseThrow(() -> FhirException.notFound("Consent", id));
        Stored current = current(uuid, true)
                .filter(c -> c.organization().equals(organization))
                .orElseThrow(() -> FhirException.notFound("Consent", id));
        if (current.deleted()) {
            return;
        }
        write(uuid, current.version() + 1, parse(current.json()), organization, true);
    }

    /** The current version, if {@code caller} may see it; 410 when deleted. */
    public Consent read(String id, String caller) {
        Stored stored = ResourceIds.asUuid(id)
                .flatMap(uuid -> current(uuid, false))
                .filter(c -> c.visibleTo(caller))
                .orElseThrow(() -> FhirException.notFound("Consent", id));
        if (stored.deleted()) {
            throw new FhirException(410, IssueType.DELETED, "Consent/" + id + " was deleted");
        }
        return parse(stored.json());
    }

    /** Version {@code version}, if {@code caller} may see the current one. */
    public Consent vread(String id, String version, String caller) {
        read(id, caller); // visibility goes by the current version; a deleted consent's versions are gone too
        int wanted;
        try {
            wanted = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw FhirException.notFound("Consent", id + "/_history/" + version);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT resource::text FROM consent_version WHERE id = ? AND version = ?")) {
            select.setObject(1, UUID.fromString(id));
            select.setInt(2, wanted);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw FhirException.notFound("Consent", id + "/_history/" + version);
                }
                return parse(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read Consent/" + id + "/_history/" + version, e);
        }
    }

    /** Search criteria; null means any. {@code caller} sees what it recorded and what names it. */
    public record Criteria(String caller, String patientId, String actor, String status, int count) {}

    public List<Consent> search(Criteria criteria) {
        StringBuilder sql = new StringBuilder("SELECT resource::text FROM consent WHERE NOT deleted"
                + " AND (organization = ? OR ? = ANY (recipients))");
        List<Object> parameters = new ArrayList<>(List.of(criteria.caller(), criteria.caller()));
        if (criteria.patientId() != null) {
            sql.append(" AND patient_id = ?");
            parameters.add(criteria.patientId());
        }
        if (criteria.actor() != null) {
            sql.append(" AND ? = ANY (recipients)");
            parameters.add(criteria.actor());
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
            List<Consent> found = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(parse(rs.getString(1)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search consents", e);
        }
    }

    private Consent write(UUID id, int version, Consent consent, String organization, boolean deleted) {
        if (!deleted) {
            PrivacyConsent.requireEnforceable(consent);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        consent.setId(id.toString());
        consent.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(now));
        // the custodian is the caller's organisation, whatever the body says
        consent.getOrganization().clear();
        consent.addOrganization(new Reference("Organization/" + organization));
        AccessGrantChanged grant = PrivacyConsent.grant(id.toString(), version, consent, organization, deleted);
        String json = fhir.newJsonParser().encodeResourceToString(consent);
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement("INSERT INTO consent (id, version, organization,"
                        + " patient_id, status, recipients, deleted, last_updated, resource)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (id) DO UPDATE SET"
                        + " version = excluded.version, patient_id = excluded.patient_id, status = excluded.status,"
                        + " recipients = excluded.recipients, deleted = excluded.deleted,"
                        + " last_updated = excluded.last_updated, resource = excluded.resource");
                PreparedStatement history = c.prepareStatement("INSERT INTO consent_version (id, version, deleted,"
                        + " last_updated, resource) VALUES (?, ?, ?, ?, ?::jsonb)")) {
            upsert.setObject(1, id);
            upsert.setInt(2, version);
            upsert.setString(3, organization);
            upsert.setString(4, grant.patientId());
            upsert.setString(5, consent.getStatus().toCode());
            upsert.setArray(
                    6,
                    c.createArrayOf("text", PrivacyConsent.recipients(consent).toArray()));
            upsert.setBoolean(7, deleted);
            upsert.setTimestamp(8, Timestamp.from(now));
            upsert.setString(9, json);
            upsert.executeUpdate();
            history.setObject(1, id);
            history.setInt(2, version);
            history.setBoolean(3, deleted);
            history.setTimestamp(4, Timestamp.from(now));
            history.setString(5, json);
            history.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store Consent/" + id, e);
        }
        outbox.append(EventType.ACCESS_GRANT_CHANGED, grant.grantId(), grant.grantId(), grant);
        return consent;
    }

    private Optional<Stored> current(UUID id, boolean forUpdate) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT version, organization, recipients, deleted, resource::text FROM consent WHERE id = ?"
                                + (forUpdate ? " FOR UPDATE" : ""))) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stored(
                        id,
                        rs.getInt(1),
                        rs.getString(2),
                        List.of((String[]) rs.getArray(3).getArray()),
                        rs.getBoolean(4),
                        rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read Consent/" + id, e);
        }
    }

    private Consent parse(String json) {
        return fhir.newJsonParser().parseResource(Consent.class, json);
    }
}
