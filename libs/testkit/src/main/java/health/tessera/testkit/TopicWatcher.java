package health.tessera.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches a topic from the moment it is opened (no consumer group, every partition from its end) and waits
 * for events that match, with a deadline. The envelopes are CloudEvents JSON.
 */
public final class TopicWatcher implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    private TopicWatcher(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TesseraEndpoints.kafkaBootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fixes the start now, before the test acts
    }

    public static TopicWatcher open(String topic) {
        return new TopicWatcher(topic);
    }

    /** The first record since opening whose envelope matches, waiting up to {@code timeout}. */
    public ConsumerRecord<String, String> await(Predicate<JsonNode> envelopeMatches, Duration timeout) {
        return awaitRecord(record -> envelopeMatches.test(envelope(record)), timeout);
    }

    /** The first record since opening that matches, waiting up to {@code timeout}. */
    public ConsumerRecord<String, String> awaitRecord(
            Predicate<ConsumerRecord<String, String>> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < seen.size(); checked++) {
                if (matches.test(seen.get(checked))) {
                    return seen.get(checked);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching event within " + timeout + "; saw " + seen.size() + " other(s)");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
    }

    /** Every record seen so far that matches, after polling for {@code quiet} more. */
    public List<ConsumerRecord<String, String>> all(Predicate<JsonNode> envelopeMatches, Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return seen.stream().filter(r -> envelopeMatches.test(envelope(r))).toList();
    }

    public static JsonNode envelope(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** Headers of a record as strings. */
    public static Map<String, String> headers(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new java.util.HashMap<>();
        record.headers()
                .forEach(h -> headers.put(h.key(), new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
        return headers;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
