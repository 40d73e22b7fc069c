package health.tessera.patient.events;

import health.tessera.events.CloudEvent;
import health.tessera.events.EventCodec;
import health.tessera.events.EventType;
import health.tessera.events.IdempotentConsumer;
import health.tessera.events.MalformedEventException;
import health.tessera.patient.domain.AccessGrants;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps the access grants in force from tessera.exchange.v1 (consents and referrals at exchange-service). */
@ApplicationScoped
public class ExchangeEventsConsumer {

    static final String CONSUMER = "patient-service.access-grants";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final AccessGrants grants;

    public ExchangeEventsConsumer(IdempotentConsumer idempotent, EventCodec codec, AccessGrants grants) {
        this.idempotent = idempotent;
        this.codec = codec;
        this.grants = grants;
    }

    @Incoming("exchange-events")
    @Blocking(ordered = true)
    // Bounded retries with backoff (0.2 s, 0.4 s, 0.8 s, 1.6 s); then the record goes to the DLQ.
    @Retry(maxRetries = 4, delay = 200, jitter = 50, abortOn = MalformedEventException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 5000)
    public void onExchangeEvent(ConsumerRecord<String, String> record) {
        idempotent.apply(CONSUMER, record.value(), this::apply);
    }

    private void apply(CloudEvent event) {
        if (EventType.ACCESS_GRANT_CHANGED.type().equals(event.type())) {
            grants.apply(codec.payload(event, EventType.ACCESS_GRANT_CHANGED));
        }
    }
}
