package health.tessera.events;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Applies a Kafka record's event at most once per consumer: the ledger row and the effect commit in one new
 * transaction, so a redelivery after a crash is a no-op. Callers wrap this in bounded retries (their
 * {@code @Retry}); after the last try the messaging layer sends the record to the topic's DLQ.
 */
@ApplicationScoped
public class IdempotentConsumer {

    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    private final EventCodec codec;
    private final ProcessedEvents processed;

    public IdempotentConsumer(EventCodec codec, ProcessedEvents processed) {
        this.codec = codec;
        this.processed = processed;
    }

    /** Applies the event in {@code envelopeJson} with {@code effect}; returns false when it was a duplicate. */
    public boolean apply(String consumer, String envelopeJson, Consumer<CloudEvent> effect) {
        CloudEvent event = codec.read(envelopeJson);
        if (event.correlationId() != null) {
            MDC.put(OutboxWriter.CORRELATION_ID_MDC_KEY, event.correlationId());
        }
        try {
            boolean applied = QuarkusTransaction.requiringNew().call(() -> {
                if (!processed.firstDelivery(consumer, event)) {
                    return false;
                }
                effect.accept(event);
                return true;
            });
            if (!applied) {
                LOG.debugf("%s skipped duplicate event %s", consumer, event.id());
            }
            return applied;
        } finally {
            MDC.remove(OutboxWriter.CORRELATION_ID_MDC_KEY);
        }
    }
}
