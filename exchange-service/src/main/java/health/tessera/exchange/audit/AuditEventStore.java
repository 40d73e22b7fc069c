package health.tessera.exchange.audit;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.events.AuditRecorded;
import health.tessera.events.CloudEvent;
import health.tessera.events.EventCodec;
import health.tessera.events.EventType;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * The audit_event table: keeps the gateway's events as they arrived (their CloudEvents envelope, plus the columns
 * searches use) and turns them into FHIR AuditEvents when they are read. Encoding every event as FHIR on arrival
 * cost a third of the service's CPU under load, for rows that are mostly never read; rows stored that way before
 * (V2–V6) still carry their FHIR JSON and are returned as stored.
 */
@ApplicationScoped
public class AuditEventStore {

    private final AgroalDataSource dataSource;
    private final FhirContext fhir;
    private final EventCodec codec;

    public AuditEventStore(AgroalDataSource dataSource, FhirContext fhir, EventCodec codec) {
        this.dataSource = dataSource;
        this.fhir = fhir;
        this.codec = codec;
    }

    /** An audit event as read from the topic: its envelope exactly as received, and what it says. */
    public record Incoming(String envelope, CloudEvent event, AuditRecorded audit) {}

    /**
     * Stores audit events in one transaction and one JDBC batch; an event stored before (a redelivery) is left
     * as it is.
     */
    @jakarta.transaction.Transactional
    public void storeAll(List<Incoming> events) {
        if (events.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO audit_event (id, recorded, correlation_id, client_id, organization, patient_id,"
                                + " action, interaction, outcome, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (id) DO NOTHING")) {
            for (Incoming incoming : events) {
                CloudEvent event = incoming.event();
                AuditRecorded audit = incoming.audit();
                insert.setObject(1, UUID.fromString(event.id()));
                insert.setTimestamp(2, Timestamp.from(audit.recorded()));
                insert.setString(3, event.correlationId());
                insert.setString(4, audit.agent().clientId());
                insert.setString(5, audit.agent().organization());
                insert.setString(6, audit.patientId());
                insert.setString(7, audit.action());
                insert.setString(8, audit.interaction());
                insert.setString(9, audit.outcome());
                insert.setString(10, incoming.envelope());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store " + events.size() + " audit events", e);
        }
    }

    /** One stored AuditEvent with the organisation whose request it records. */
    public record Stored(String organization, AuditEvent event) {}

    public Optional<Stored> find(UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT organization, resource::text, envelope FROM audit_event WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Stored(rs.getString(1), auditEvent(rs.getString(2), rs.getString(3))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read AuditEvent/" + id, e);
        }
    }

    /** A row as a FHIR AuditEvent: built from the envelope, or parsed where an older row kept the FHIR JSON. */
    private AuditEvent auditEvent(String fhirJson, String envelope) {
        if (fhirJson != null) {
            return fhir.newJsonParser().parseResource(AuditEvent.class, fhirJson);
        }
        CloudEvent event = codec.read(envelope);
        return AuditEvents.toFhir(event.id(), event.correlationId(), codec.payload(event, EventType.AUDIT_RECORDED));
    }

    /**
     * What a search asks for; null fields do not restrict. {@code organization} null only for operators, who see
     * every organisation's requests.
     */
    public record Criteria(
            String organization,
            Instant from,
            Instant to,
            String patientId,
            String clientId,
            String outcome,
            String action,
            String interaction,
            String correlationId,
            int limit) {}

    /** The matching events, newest first. */
    public List<AuditEvent> search(Criteria criteria) {
        StringBuilder sql = new StringBuilder("SELECT resource::text, envelope FROM ");
        List<Object> values = new ArrayList<>();
        if (criteria.correlationId() != null) {
            // A request's events are one or a few: they are found by the correlation index first. Left to itself,
            // the planner may walk the recorded index backwards for the ORDER BY ... LIMIT and filter as it goes,
            // which reads the whole table when the event is not stored yet (30 s at 1.4 million events).
            sql.append("(SELECT * FROM audit_event WHERE correlation_id = ? OFFSET 0) AS audit_event");
            values.add(criteria.correlationId());
        } else {
            sql.append("audit_event");
        }
        sql.append(" WHERE true");
        condition(sql, values, "organization = ?", criteria.organization());
        condition(sql, values, "recorded >= ?", criteria.from() == null ? null : Timestamp.from(criteria.from()));
        condition(sql, values, "recorded < ?", criteria.to() == null ? null : Timestamp.from(criteria.to()));
        condition(sql, values, "patient_id = ?", criteria.patientId());
        condition(sql, values, "client_id = ?", criteria.clientId());
        condition(sql, values, "outcome = ?", criteria.outcome());
        condition(sql, values, "action = ?", criteria.action());
        condition(sql, values, "interaction = ?", criteria.interaction());
        sql.append(" ORDER BY recorded DESC, id LIMIT ?");
        values.add(criteria.limit());
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                select.setObject(i + 1, values.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                List<AuditEvent> found = new ArrayList<>();
                while (rs.next()) {
                    found.add(auditEvent(rs.getString(1), rs.getString(2)));
                }
                return found;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search audit events", e);
        }
    }

    private static void condition(StringBuilder sql, List<Object> values, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            values.add(value);
        }
    }
}
