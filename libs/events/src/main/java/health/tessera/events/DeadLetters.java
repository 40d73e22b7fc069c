package health.tessera.events;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Where a batch consumer puts the Kafka records it sets aside: their dead-letter topic, unchanged, with the reason
 * in the {@code dead-letter-reason} header. That is what the connector's {@code dead-letter-queue} failure strategy
 * does for a consumer of single records; a consumer of whole polls sets records aside itself
 * ({@link IdempotentConsumer#applyPoll}).
 */
public final class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private DeadLetters() {}

    /** Sends each record it is given to {@code topic}; {@code what} names the records in the log line. */
    public static BiConsumer<ConsumerRecord<String, String>, RuntimeException> sendingTo(
            Emitter<String> topic, String what) {
        return (record, reason) -> {
            LOG.warnf(
                    "%s at offset %d of partition %d goes to the dead-letter topic: %s",
                    what, record.offset(), record.partition(), reason.toString());
            topic.send(KafkaRecord.of(record.key(), record.value())
                    .withHeader("dead-letter-reason", String.valueOf(reason.getMessage())));
        };
    }
}
