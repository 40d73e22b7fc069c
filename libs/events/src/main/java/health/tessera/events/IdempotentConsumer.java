package health.tessera.events;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
        boolean applied = withCorrelationId(
                event,
                () -> QuarkusTransaction.requiringNew().call(() -> {
                    if (!processed.firstDelivery(consumer, event)) {
                        return false;
                    }
                    effect.accept(event);
                    return true;
                }));
        if (!applied) {
            LOG.debugf("%s skipped duplicate event %s", consumer, event.id());
        }
        return applied;
    }

    /**
     * Applies a poll's worth of events in one new transaction: one ledger statement for all of them, then
     * {@code effect} for each first delivery, in order. A consumer of a busy topic then commits once per poll,
     * not once per event. Returns how many were applied; a failure rolls them all back (callers then retry
     * the events one by one with {@link #apply} to find the one at fault).
     */
    public int applyAll(String consumer, List<CloudEvent> events, Consumer<CloudEvent> effect) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Set<UUID> first = processed.firstDeliveries(consumer, events);
            int applied = 0;
            for (CloudEvent event : events) {
                // Removed once applied: a copy later in the poll is a duplicate.
                if (first.remove(ProcessedEvents.eventId(event))) {
                    withCorrelationId(event, () -> {
                        effect.accept(event);
                        return null;
                    });
                    applied++;
                }
            }
            if (applied < events.size()) {
                LOG.debugf("%s skipped %d duplicate events", consumer, events.size() - applied);
            }
            return applied;
        });
    }

    /**
     * Applies a Kafka poll's events with {@code effect}, the ones {@code wanted} keeps, in one transaction
     * ({@link #applyAll}). A record that does not read goes to {@code deadLetter}. When the poll fails for any other
     * reason than the database being out of reach, its events are applied one at a time, and the one whose effect
     * fails by itself goes to {@code deadLetter} while the rest are applied. A database out of reach is thrown, for
     * the caller's retries (what was applied is in the ledger).
     */
    public void applyPoll(
            String consumer,
            Iterable<ConsumerRecord<String, String>> records,
            Predicate<CloudEvent> wanted,
            Consumer<CloudEvent> effect,
            BiConsumer<ConsumerRecord<String, String>, RuntimeException> deadLetter) {
        List<ConsumerRecord<String, String>> readable = new ArrayList<>();
        List<CloudEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                CloudEvent event = codec.read(record.value());
                if (wanted.test(event)) {
                    events.add(event);
                    readable.add(record);
                }
            } catch (MalformedEventException e) {
                deadLetter.accept(record, e);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        try {
            applyAll(consumer, events, effect);
        } catch (RuntimeException failed) {
            if (databaseUnavailable(failed)) {
                throw failed;
            }
            for (ConsumerRecord<String, String> record : readable) {
                try {
                    apply(consumer, record.value(), effect);
                } catch (RuntimeException e) {
                    if (databaseUnavailable(e)) {
                        throw e;
                    }
                    deadLetter.accept(record, e);
                }
            }
        }
    }

    /**
     * Whether {@code failure} comes from the database being out of reach (retry later) rather than from the
     * events (set the one at fault aside): a connection, resource or transaction-rollback error.
     */
    public static boolean databaseUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null
                        || state.startsWith("08")
                        || state.startsWith("53")
                        || state.startsWith("57")
                        || state.startsWith("40");
            }
        }
        return false;
    }

    /** Runs {@code work} with the event's correlation id in the log context (the request that caused it). */
    private static <T> T withCorrelationId(CloudEvent event, Supplier<T> work) {
        if (event.correlationId() != null) {
            MDC.put(OutboxWriter.CORRELATION_ID_MDC_KEY, event.correlationId());
        }
        try {
            return work.get();
        } finally {
            MDC.remove(OutboxWriter.CORRELATION_ID_MDC_KEY);
        }
    }
}
