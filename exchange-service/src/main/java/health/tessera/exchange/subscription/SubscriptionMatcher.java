package health.tessera.exchange.subscription;

import health.tessera.events.CloudEvent;
import health.tessera.events.DeadLetters;
import health.tessera.events.EventCodec;
import health.tessera.events.EventType;
import health.tessera.events.IdempotentConsumer;
import health.tessera.events.RecordCommitted;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

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

    static final String CONSUMER = "exchange-service.subscriptions";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final SubscriptionStore store;
    private final NotificationQueue queue;
    private final BiConsumer<ConsumerRecord<String, String>, RuntimeException> deadLetter;

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
        this.deadLetter = DeadLetters.sendingTo(deadLetters, "record event");
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
        // Each payload is decoded once, by the filter; the effect takes it from here. An event applied again
        // one at a time after a failed poll is a new instance: the effect decodes that one itself.
        Map<CloudEvent, RecordCommitted> decoded = new IdentityHashMap<>();
        idempotent.applyPoll(
                CONSUMER,
                records,
                event -> {
                    if (!EventType.RECORD_COMMITTED.type().equals(event.type())
                            || (event.time() != null && event.time().toInstant().isBefore(firstCreated))) {
                        return false; // not a record, or older than every subscription: not decoded
                    }
                    RecordCommitted record = recordOf(event);
                    if (record == null) {
                        return true; // unreadable: the effect fails on it and it goes to the dead-letter topic
                    }
                    decoded.put(event, record);
                    return listening.stream().anyMatch(s -> SubscriptionRequest.wanted(s.filters(), record));
                },
                event -> queueFor(listening, event, decoded.get(event)),
                deadLetter);
    }

    /** Queues {@code event} for each listening subscription that wants it and may see it. */
    private void queueFor(List<SubscriptionStore.Listening> listening, CloudEvent event, RecordCommitted record) {
        if (record == null) {
            record = codec.payload(event, EventType.RECORD_COMMITTED);
        }
        Instant occurred = event.time() == null ? Instant.now() : event.time().toInstant();
        for (SubscriptionStore.Listening subscription : listening) {
            if (!occurred.isBefore(subscription.createdAt())
                    && SubscriptionRequest.wanted(subscription.filters(), record)
                    && queue.visible(subscription.organization(), record)) {
                queue.add(subscription.id(), record, occurred);
            }
        }
    }

    /** The event's record, or null when its payload does not read. */
    private RecordCommitted recordOf(CloudEvent event) {
        try {
            return codec.payload(event, EventType.RECORD_COMMITTED);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
