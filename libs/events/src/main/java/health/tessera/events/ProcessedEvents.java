package health.tessera.events;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** The idempotent-consumer ledger: which consumer has applied which event. */
@ApplicationScoped
public class ProcessedEvents {

    private final AgroalDataSource dataSource;

    public ProcessedEvents(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records that {@code consumer} applies {@code event} in the caller's transaction. Returns false when it
     * had already been applied: the caller then does nothing. Concurrent deliveries serialise on the key.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, CloudEvent event) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO processed_event (consumer, event_id, event_type) VALUES (?, ?, ?)"
                                + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, consumer);
            insert.setObject(2, UUID.fromString(event.id()));
            insert.setString(3, event.type());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record processed event " + event.id(), e);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("event id is not a UUID: " + event.id(), e);
        }
    }

    /**
     * Records that {@code consumer} applies each of {@code events}, in one statement, in the caller's transaction;
     * answers the ids of those not applied before (an event twice in {@code events} is answered once).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public java.util.Set<String> firstDeliveries(String consumer, java.util.List<CloudEvent> events) {
        java.util.Set<String> first = new java.util.HashSet<>();
        if (events.isEmpty()) {
            return first;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO processed_event (consumer, event_id, event_type)"
                                + " SELECT ?, e.id, e.type FROM unnest(?::uuid[], ?::text[]) AS e(id, type)"
                                + " ON CONFLICT DO NOTHING RETURNING event_id::text")) {
            insert.setString(1, consumer);
            insert.setArray(
                    2,
                    connection.createArrayOf(
                            "uuid",
                            events.stream().map(e -> UUID.fromString(e.id())).toArray()));
            insert.setArray(
                    3,
                    connection.createArrayOf(
                            "text", events.stream().map(CloudEvent::type).toArray()));
            try (java.sql.ResultSet inserted = insert.executeQuery()) {
                while (inserted.next()) {
                    first.add(inserted.getString(1));
                }
            }
            return first;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record " + events.size() + " processed events", e);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("an event id is not a UUID", e);
        }
    }
}
