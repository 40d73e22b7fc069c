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

    /**
     * Writes one event. {@code key} orders events on the topic (the enterprise patient id for patient data);
     * {@code subject} names what the event is about, e.g. {@code Patient/123}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> CloudEvent append(EventType<T> type, String key, String subject, T payload) {
        Object correlation = MDC.get(CORRELATION_ID_MDC_KEY);
        CloudEvent event = new CloudEvent(
                CloudEvent.SPEC_VERSION,
                UUID.randomUUID().toString(),
                source,
                type.type(),
                subject,
                OffsetDateTime.now(ZoneOffset.UTC),
                "application/json",
                correlation == null ? null : correlation.toString(),
                codec.toTree(payload));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO outbox_event (event_id, topic, event_key, event_type, envelope, correlation_id)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, UUID.fromString(event.id()));
            insert.setString(2, type.topic().topicName());
            insert.setString(3, key);
            insert.setString(4, type.type());
            insert.setString(5, codec.write(event));
            insert.setString(6, event.correlationId());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write event to the outbox", e);
        }
        // Wakes the relay once the transaction has committed (observers run AFTER_SUCCESS).
        appended.fire(new OutboxAppended(event.id()));
        return event;
    }

    /** Fired for each appended event; the relay listens after commit to publish without waiting for its poll. */
    public record OutboxAppended(String eventId) {}
}
