package health.tessera.events;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;

/**
 * Appends an event to the outbox inside the caller's transaction, so the event exists if and only if the
 * state change it announces commits. Publishing is the {@link OutboxRelay}'s job.
 */
@ApplicationScoped
public class OutboxWriter {

    /** The MDC key the HTTP layer puts the request's correlation id under. */
    public static final String CORRELATION_ID_MDC_KEY = "correlationId";

    private final AgroalDataSource dataSource;
    private final EventCodec codec;
    private final String source;
    private final Event<OutboxAppended> appended;

    public OutboxWriter(
            AgroalDataSource dataSource,
            EventCodec codec,
            @ConfigProperty(name = "quarkus.application.name") String source,
            Event<OutboxAppended> appended) {
        this.dataSource = dataSource;
        this.codec = codec;
        this.source = source;
        this.appended = appended;
    }

    /** An event to append: {@code key} orders it on its topic, {@code subject} names what it is about. */
    public record Outgoing<T>(String key, String subject, T payload) {}

    /**
     * Writes one event. {@code key} orders events on the topic (the enterprise patient id for patient data);
     * {@code subject} names what the event is about, e.g. {@code Patient/123}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> CloudEvent append(EventType<T> type, String key, String subject, T payload) {
        return appendAll(type, List.of(new Outgoing<>(key, subject, payload))).get(0);
    }

    /** Writes events of one type in one JDBC batch, in order (a Bundle's records announce themselves together). */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> List<CloudEvent> appendAll(EventType<T> type, List<Outgoing<T>> outgoing) {
        List<Keyed> keyed = new ArrayList<>(outgoing.size());
        for (Outgoing<T> one : outgoing) {
            keyed.add(new Keyed(one.key(), encode(type, one.subject(), one.payload())));
        }
        return appendEncoded(type, keyed);
    }

    /** An event with its envelope's JSON, made before the transaction that appends it ({@link #encode}). */
    public record Encoded(CloudEvent event, String envelope) {}

    /** An encoded event and the key that orders it on its topic. */
    public record Keyed(String key, Encoded encoded) {}

    /**
     * Makes an event and its envelope, outside any transaction and on any thread (the correlation id is the
     * calling thread's): a Bundle's records encode their events while they are prepared, so that the thread
     * holding the transaction only appends them ({@link #appendEncoded}).
     */
    public <T> Encoded encode(EventType<T> type, String subject, T payload) {
        Object correlation = MDC.get(CORRELATION_ID_MDC_KEY);
        CloudEvent event = new CloudEvent(
                CloudEvent.SPEC_VERSION,
                EventIds.newId().toString(),
                source,
                type.type(),
                subject,
                OffsetDateTime.now(ZoneOffset.UTC),
                "application/json",
                correlation == null ? null : correlation.toString(),
                codec.asData(payload));
        return new Encoded(event, codec.write(event));
    }

    /** Writes events of one type, {@link #encode encoded} before, in one JDBC batch and in order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<CloudEvent> appendEncoded(EventType<?> type, List<Keyed> keyed) {
        List<CloudEvent> events = new ArrayList<>(keyed.size());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO outbox_event (event_id, topic, event_key, event_type, envelope, correlation_id)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Keyed one : keyed) {
                CloudEvent event = one.encoded().event();
                insert.setObject(1, UUID.fromString(event.id()));
                insert.setString(2, type.topic().topicName());
                insert.setString(3, one.key());
                insert.setString(4, type.type());
                insert.setString(5, one.encoded().envelope());
                insert.setString(6, event.correlationId());
                insert.addBatch();
                events.add(event);
            }
            if (!events.isEmpty()) {
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write events to the outbox", e);
        }
        if (!events.isEmpty()) {
            // Wakes the relay once the transaction has committed (observers run AFTER_SUCCESS); one wake-up is enough.
            appended.fire(new OutboxAppended(events.get(events.size() - 1).id()));
        }
        return events;
    }

    /** Fired for each appended event; the relay listens after commit to publish without waiting for its poll. */
    public record OutboxAppended(String eventId) {}
}
