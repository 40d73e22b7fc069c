package health.tessera.alerts.events;

import health.tessera.alerts.service.AlertRaiser;
import health.tessera.events.CloudEvent;
import health.tessera.events.EventCodec;
import health.tessera.events.EventType;
import health.tessera.events.IdempotentConsumer;
import health.tessera.events.MalformedEventException;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Evaluates the alert rules for every record committed on tessera.record.v1, a poll's worth of events per
 * transaction: a Bundle commits thousands of records at once, and a commit per event made this consumer cost the
 * platform more than the records-service work it follows. An event that cannot be read, or whose evaluation fails
 * by itself, goes to {@code tessera.record.v1.dlq} with the reason, and the rest of its poll is applied.
 */
@ApplicationScoped
public class RecordEventsConsumer {

    private static final Logger LOG = Logger.getLogger(RecordEventsConsumer.class);
    static final String CONSUMER = "alerts-service.rules";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final AlertRaiser raiser;
    private final Emitter<String> deadLetters;

    public RecordEventsConsumer(
            IdempotentConsumer idempotent,
            EventCodec codec,
            AlertRaiser raiser,
            @Channel("record-dead-letters") Emitter<String> deadLetters) {
        this.idempotent = idempotent;
        this.codec = codec;
        this.raiser = raiser;
        this.deadLetters = deadLetters;
    }

    @Incoming("record-events")
    @Blocking(ordered = true)
    // Bounded retries with backoff (0.2 s, 0.4 s, 0.8 s, 1.6 s) while the database is unavailable.
    @Retry(maxRetries = 4, delay = 200, jitter = 50)
    @ExponentialBackoff(factor = 2, maxDelay = 5000)
    public void onRecordEvents(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> readable = new ArrayList<>(records.count());
        List<CloudEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                events.add(codec.read(record.value()));
                readable.add(record);
            } catch (MalformedEventException e) {
                deadLetter(record, e);
            }
        }
        try {
            idempotent.applyAll(CONSUMER, events, this::apply);
        } catch (RuntimeException failed) {
            if (databaseUnavailable(failed)) {
                throw failed; // retried, the whole poll (what was applied is in the ledger)
            }
            // One event failed (its payload did not read, or its evaluation): apply them one at a time to set
            // that one aside.
            for (ConsumerRecord<String, String> record : readable) {
                try {
                    idempotent.apply(CONSUMER, record.value(), this::apply);
                } catch (RuntimeException e) {
                    if (databaseUnavailable(e)) {
                        throw e;
                    }
                    deadLetter(record, e);
                }
            }
        }
    }

    private void apply(CloudEvent event) {
        if (EventType.RECORD_COMMITTED.type().equals(event.type())) {
            raiser.evaluate(codec.payload(event, EventType.RECORD_COMMITTED));
        }
    }

    private void deadLetter(ConsumerRecord<String, String> record, RuntimeException reason) {
        LOG.warnf(
                "record event at offset %d of partition %d goes to the dead-letter topic: %s",
                record.offset(), record.partition(), reason.toString());
        deadLetters.send(KafkaRecord.of(record.key(), record.value())
                .withHeader("dead-letter-reason", String.valueOf(reason.getMessage())));
    }

    /**
     * Whether {@code failure} comes from the database being out of reach (retry later) rather than from the
     * events (set the one at fault aside): a connection, resource or transaction-rollback error.
     */
    static boolean databaseUnavailable(Throwable failure) {
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
}
