package health.tessera.exchange.audit;

import health.tessera.events.CloudEvent;
import health.tessera.events.EventType;
import health.tessera.events.IdempotentConsumer;
import health.tessera.events.MalformedEventException;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Stores each audit event of tessera.audit.v1 as a FHIR AuditEvent. */
@ApplicationScoped
public class AuditEventsConsumer {

    static final String CONSUMER = "exchange-service.audit-store";

    private final IdempotentConsumer idempotent;
    private final AuditEventStore store;

    public AuditEventsConsumer(IdempotentConsumer idempotent, AuditEventStore store) {
        this.idempotent = idempotent;
        this.store = store;
    }

    @Incoming("audit-events")
    @Blocking(ordered = true)
    // Bounded retries with backoff (0.2 s, 0.4 s, 0.8 s, 1.6 s); then the record goes to the DLQ.
    @Retry(maxRetries = 4, delay = 200, jitter = 50, abortOn = MalformedEventException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 5000)
    public void onAuditEvent(ConsumerRecord<String, String> record) {
        idempotent.apply(CONSUMER, record.value(), this::apply);
    }

    private void apply(CloudEvent event) {
        if (EventType.AUDIT_RECORDED.type().equals(event.type())) {
            store.store(event);
        }
    }
}
