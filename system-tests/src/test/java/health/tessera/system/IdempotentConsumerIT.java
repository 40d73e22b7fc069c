package health.tessera.system;

import static org.assertj.core.api.Assertions.assertThat;

import health.tessera.testkit.Databases;
import health.tessera.testkit.TesseraEndpoints;
import health.tessera.testkit.TopicWatcher;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Consumers apply a redelivered event once, and send an unreadable one to the topic's dead-letter twin. */
class IdempotentConsumerIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void theSameRecordEventDeliveredTwiceRaisesOneFlag() throws Exception {
        String eventId = UUID.randomUUID().toString();
        String patientId = UUID.randomUUID().toString();
        String observationId = UUID.randomUUID().toString();
        String envelope = crisisEvent(eventId, observationId, patientId);

        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("tessera.record.v1", patientId, envelope))
                    .get();
            producer.send(new ProducerRecord<>("tessera.record.v1", patientId, envelope))
                    .get();
        }

        String source = "Observation/" + observationId + "/_history/1";
        Awaitility.await("alerts-service applied the event")
                .atMost(DEADLINE)
                .until(() -> Databases.queryLong(
                                "tessera_alerts", "SELECT count(*) FROM flag WHERE source_record = ?", source)
                        == 1);
        // Both copies were consumed (same partition, in order) before this check settles: one ledger row, one flag.
        Awaitility.await("both deliveries consumed")
                .atMost(DEADLINE)
                .pollDelay(Duration.ofSeconds(2))
                .until(() -> Databases.queryLong(
                                "tessera_alerts",
                                "SELECT count(*) FROM processed_event WHERE consumer = 'alerts-service.rules' AND event_id = ?::uuid",
                                eventId)
                        == 1);
        assertThat(Databases.queryLong("tessera_alerts", "SELECT count(*) FROM flag WHERE source_record = ?", source))
                .isEqualTo(1);
        assertThat(Databases.queryLong(
                        "tessera_alerts",
                        "SELECT count(*) FROM outbox_event WHERE event_type = 'tessera.alert.raised.v1' AND envelope::jsonb -> 'data' ->> 'sourceRecord' = ?",
                        source))
                .isEqualTo(1);
    }

    @Test
    void anUnreadableEventGoesToTheDeadLetterTopicWithItsReason() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        try (TopicWatcher deadLetters = TopicWatcher.open("tessera.record.v1.dlq");
                KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("tessera.record.v1", key, "{not a cloud event"))
                    .get();
            var ours = deadLetters.awaitRecord(r -> key.equals(r.key()), DEADLINE);
            assertThat(ours.value()).isEqualTo("{not a cloud event");
            Map<String, String> headers = TopicWatcher.headers(ours);
            assertThat(headers).containsKey("dead-letter-reason");
            assertThat(headers.get("dead-letter-reason")).contains("not a CloudEvents JSON envelope");
        }
    }

    @Test
    void anEventWhoseEvaluationFailsGoesToTheDeadLetterTopicAndTheRestOfItsPollIsApplied() throws Exception {
        String patientId = UUID.randomUUID().toString();
        String poisonId = UUID.randomUUID().toString();
        String goodObservation = UUID.randomUUID().toString();
        // Reads as a RecordCommitted, but its list of values holds a null: the rule cannot evaluate it.
        String poison = crisisEvent(UUID.randomUUID().toString(), poisonId, patientId)
                .replace("\"values\":[", "\"values\":[null,");
        String good = crisisEvent(UUID.randomUUID().toString(), goodObservation, patientId);
        try (TopicWatcher deadLetters = TopicWatcher.open("tessera.record.v1.dlq");
                KafkaProducer<String, String> producer = producer()) {
            // One key, one partition: both arrive in order, most likely in one poll.
            producer.send(new ProducerRecord<>("tessera.record.v1", patientId, poison));
            producer.send(new ProducerRecord<>("tessera.record.v1", patientId, good))
                    .get();
            var ours = deadLetters.awaitRecord(r -> r.value().contains(poisonId), DEADLINE);
            assertThat(TopicWatcher.headers(ours)).containsKey("dead-letter-reason");
        }
        Awaitility.await("the good event of the poll raised its flag")
                .atMost(DEADLINE)
                .until(() -> Databases.queryLong(
                                "tessera_alerts",
                                "SELECT count(*) FROM flag WHERE source_record = ?",
                                "Observation/" + goodObservation + "/_history/1")
                        == 1);
        assertThat(Databases.queryLong(
                        "tessera_alerts",
                        "SELECT count(*) FROM flag WHERE source_record = ?",
                        "Observation/" + poisonId + "/_history/1"))
                .isZero();
    }

    @Test
    void anEventWhoseIdIsWrittenInCapitalsIsAppliedToo() throws Exception {
        String patientId = UUID.randomUUID().toString();
        String observationId = UUID.randomUUID().toString();
        // The ledger keys events by UUID; the id as written must still find its own ledger row.
        String envelope =
                crisisEvent(UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT), observationId, patientId);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("tessera.record.v1", patientId, envelope))
                    .get();
        }
        Awaitility.await("alerts-service applied the event")
                .atMost(DEADLINE)
                .until(() -> Databases.queryLong(
                                "tessera_alerts",
                                "SELECT count(*) FROM flag WHERE source_record = ?",
                                "Observation/" + observationId + "/_history/1")
                        == 1);
    }

    /** A RecordCommitted event of a blood-pressure panel at 201/118 mmHg (a hypertensive crisis). */
    private static String crisisEvent(String eventId, String observationId, String patientId) {
        return """
                {"specversion":"1.0","id":"%s","source":"records-service","type":"tessera.record.committed.v1",
                 "subject":"Observation/%s","time":"2026-11-25T10:00:00Z","datacontenttype":"application/json",
                 "data":{"resourceType":"Observation","resourceId":"%s","version":1,"operation":"create",
                  "patientId":"%s","organization":"org-a","codes":["http://loinc.org|85354-9"],
                  "effective":"2026-11-25T09:55:00Z",
                  "values":[{"code":"http://loinc.org|8480-6","value":201,"unit":"mm[Hg]"},
                            {"code":"http://loinc.org|8462-4","value":118,"unit":"mm[Hg]"}]}}
                """.formatted(eventId, observationId, observationId, patientId);
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TesseraEndpoints.kafkaBootstrap(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new StringSerializer());
    }
}
