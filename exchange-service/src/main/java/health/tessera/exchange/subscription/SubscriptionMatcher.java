package health.tessera.exchange.subscription;

import health.tessera.events.CloudEvent;
import health.tessera.events.EventCodec;
import health.tessera.events.EventType;
import health.tessera.events.IdempotentConsumer;
import health.tessera.events.RecordCommitted;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Matches the records committed on tessera.record.v1 against the subscriptions that listen (requested or active)
 * and queues a numbered notification for each match the subscriber may see: a record of its own organisation, or
 * one a Consent or referral in force shares with it. Access is judged when the event is matched, and a subscription
 * hears of the records committed after it was made. Events committed while no subscription listens are passed over
 * without a trace (a Bundle load commits thousands a second); the ones that match go through the idempotent
 * consumer's ledger, so a redelivered poll queues nothing twice.
 */
@ApplicationScoped
public class SubscriptionMatcher {

    private static final Logger LOG = Logger.getLogger(SubscriptionMatcher.class);
    static final String CONSUMER = "exchange-service.subscriptions";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final SubscriptionStore store;
    private final NotificationQueue queue;
    private final Emitter<String> deadLetters;

    public SubscriptionMatcher(
            IdempotentConsumer idempotent,
            EventCodec codec,
            SubscriptionStore store,
            NotificationQueue queue,
            @Channel("record-dead-letters") Emitter<String> deadLetters) {
        this.idempotent = idempotent;
        this.codec = codec;
        this.store = store;
        this.queue = queue;
        this.deadLetters = deadLetters;
    }

    @Incoming("record-events")
    @Blocking(ordered = true)
    // Bounded retries with backoff (0.2 s, 0.4 s, 0.8 s, 1.6 s) while the database is unavailable.
    @Retry(maxRetries = 4, delay = 200, jitter = 50)
    @ExponentialBackoff(factor = 2, maxDelay = 5000)
    public void onRecordEvents(ConsumerRecords<String, String> records) {
        List<SubscriptionStore.Listening> listening = store.listening();
        if (listening.isEmpty()) {
            return;
        }
        Instant firstCreated = listening.stream()
                .map(SubscriptionStore.Listening::createdAt)
                .min(Instant::compareTo)
                .orElseThrow();
        idempotent.applyPoll(
                CONSUMER,
                records,
                event -> {
                    if (!EventType.RECORD_COMMITTED.type().equals(event.type())
                            || (event.time() != null && event.time().toInstant().isBefore(firstCreated))) {
                        return false; // not a record, or older than every subscription: not decoded
                    }
                    RecordCommitted record = recordOf(event);
                    return record == null
                            || listening.stream().anyMatch(s -> SubscriptionRequest.wanted(s.filters(), record));
                },
                event -> queueFor(listening, event),
                this::deadLetter);
    }

    private void queueFor(List<SubscriptionStore.Listening> listening, CloudEvent event) {
        if (!EventType.RECORD_COMMITTED.type().equals(event.type())) {
            return;
        }
        RecordCommitted record = codec.payload(event, EventType.RECORD_COMMITTED);
        Instant occurred = event.time() == null ? Instant.now() : event.time().toInstant();
        for (SubscriptionStore.Listening subscription : listening) {
            if (!occurred.isBefore(subscription.createdAt())
                    && SubscriptionRequest.wanted(subscription.filters(), record)
                    && queue.visible(subscription.organization(), record)) {
                queue.add(subscription.id(), record, occurred);
            }
        }
    }

    /**
     * The event's record, or null when its payload does not read (then the effect finds out and the event goes to
     * the dead-letter topic).
     */
    private RecordCommitted recordOf(CloudEvent event) {
        try {
            return codec.payload(event, EventType.RECORD_COMMITTED);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private void deadLetter(ConsumerRecord<String, String> record, RuntimeException reason) {
        LOG.warnf(
                "record event at offset %d of partition %d goes to the dead-letter topic: %s",
                record.offset(), record.partition(), reason.toString());
        deadLetters.send(KafkaRecord.of(record.key(), record.value())
                .withHeader("dead-letter-reason", String.valueOf(reason.getMessage())));
    }
}
