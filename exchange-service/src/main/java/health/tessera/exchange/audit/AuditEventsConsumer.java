package health.tessera.exchange.audit;

import health.tessera.events.CloudEvent;
import health.tessera.events.DeadLetters;
import health.tessera.events.EventCodec;
import health.tessera.events.EventType;
import health.tessera.events.MalformedEventException;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Stores the audit events of tessera.audit.v1 (read back as FHIR AuditEvents), a poll's worth at a time: every request at the
 * gateway makes one, so one transaction per event would cost the platform a commit per request. Idempotent by the
 * event id (the row's key): a redelivered batch inserts nothing twice. An event that cannot be read goes to
 * {@code tessera.audit.v1.dlq} with the reason, and the rest of its batch is stored.
 */
@ApplicationScoped
public class AuditEventsConsumer {

    private final EventCodec codec;
    private final AuditEventStore store;
    private final BiConsumer<ConsumerRecord<String, String>, RuntimeException> deadLetter;

    public AuditEventsConsumer(
            EventCodec codec, AuditEventStore store, @Channel("audit-dead-letters") Emitter<String> deadLetters) {
        this.codec = codec;
        this.store = store;
        this.deadLetter = DeadLetters.sendingTo(deadLetters, "audit event");
    }

    @Incoming("audit-events")
    @Blocking(ordered = true)
    // Bounded retries with backoff (0.2 s, 0.4 s, 0.8 s, 1.6 s) while the database is unavailable.
    @Retry(maxRetries = 4, delay = 200, jitter = 50)
    @ExponentialBackoff(factor = 2, maxDelay = 5000)
    public void onAuditEvents(ConsumerRecords<String, String> records) {
        List<AuditEventStore.Incoming> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                CloudEvent event = codec.read(record.value());
                if (EventType.AUDIT_RECORDED.type().equals(event.type())) {
                    events.add(new AuditEventStore.Incoming(
                            record.value(), event, codec.payload(event, EventType.AUDIT_RECORDED)));
                }
            } catch (MalformedEventException e) {
                deadLetter.accept(record, e);
            }
        }
        store.storeAll(events);
    }
}
