package health.tessera.alerts.events;

import health.tessera.alerts.service.AlertRaiser;
import health.tessera.events.CloudEvent;
import health.tessera.events.EventCodec;
import health.tessera.events.EventType;
import health.tessera.events.IdempotentConsumer;
import health.tessera.events.MalformedEventException;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Evaluates the alert rules for every record committed on tessera.record.v1. */
@ApplicationScoped
public class RecordEventsConsumer {

    static final String CONSUMER = "alerts-service.rules";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final AlertRaiser raiser;

    public RecordEventsConsumer(IdempotentConsumer idempotent, EventCodec codec, AlertRaiser raiser) {
        this.idempotent = idempotent;
        this.codec = codec;
        this.raiser = raiser;
    }

    @Incoming("record-events")
    @Blocking(ordered = true)
    // Bounded retries with backoff (0.2 s, 0.4 s, 0.8 s, 1.6 s); then the record goes to the DLQ.
    @Retry(maxRetries = 4, delay = 200, jitter = 50, abortOn = MalformedEventException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 5000)
    public void onRecordEvent(ConsumerRecord<String, String> record) {
        idempotent.apply(CONSUMER, record.value(), this::apply);
    }

    private void apply(CloudEvent event) {
        if (EventType.RECORD_COMMITTED.type().equals(event.type())) {
            raiser.evaluate(codec.payload(event, EventType.RECORD_COMMITTED));
        }
    }
}
