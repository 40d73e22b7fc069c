package health.tessera.events;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        return !firstDeliveries(consumer, List.of(event)).isEmpty();
    }

    /**
     * Records that {@code consumer} applies each of {@code events}, in one statement, in the caller's transaction;
     * answers the ids of those not applied before (an event twice in {@code events} is answered once).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<UUID> firstDeliveries(String consumer, List<CloudEvent> events) {
        Set<UUID> first = new HashSet<>();
        if (events.isEmpty()) {
            return first;
        }
        UUID[] ids = new UUID[events.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = eventId(events.get(i));
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO processed_event (consumer, event_id, event_type)"
                                + " SELECT ?, e.id, e.type FROM unnest(?::uuid[], ?::text[]) AS e(id, type)"
                                + " ON CONFLICT DO NOTHING RETURNING event_id")) {
            insert.setString(1, consumer);
            insert.setArray(2, connection.createArrayOf("uuid", ids));
            insert.setArray(
                    3,
                    connection.createArrayOf(
                            "text", events.stream().map(CloudEvent::type).toArray()));
            try (ResultSet inserted = insert.executeQuery()) {
                while (inserted.next()) {
                    first.add(inserted.getObject(1, UUID.class));
                }
            }
            return first;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot record " + events.size() + " processed event(s), the first "
                            + events.get(0).id(),
                    e);
        }
    }

    /** An event's id as the UUID the ledger keys it by. */
    public static UUID eventId(CloudEvent event) {
        try {
            return UUID.fromString(event.id());
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("event id is not a UUID: " + event.id(), e);
        }
    }
}
