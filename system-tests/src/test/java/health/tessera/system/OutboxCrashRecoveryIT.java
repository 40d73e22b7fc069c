package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import health.tessera.testkit.Databases;
import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.ServiceProcess;
import health.tessera.testkit.TopicWatcher;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service killed with SIGKILL after its database commit but before the event reached Kafka loses nothing:
 * the committed outbox row is published when the service comes back.
 *
 * <p>The window between commit and publish is made wide and certain by starting the first instance with an
 * unreachable broker, so its relay cannot publish; the process is then killed for real.
 */
class OutboxCrashRecoveryIT {

    private static final String DATABASE = "tessera_patient_crash_it";
    private static final int PORT = 18091;

    @Test
    void eventCommittedBeforeAKill9IsPublishedAfterRestart() throws Exception {
        Databases.recreate(DATABASE);
        Map<String, String> ownDatabase = Map.of(
                "quarkus.datasource.jdbc.url",
                health.tessera.testkit.TesseraEndpoints.jdbcUrl(DATABASE),
                "quarkus.log.console.json.enabled",
                "false");

        String patientId;
        try (ServiceProcess cutOff = ServiceProcess.start(
                "patient-service", PORT, with(ownDatabase, "kafka.bootstrap.servers", "127.0.0.1:1"))) {
            patientId = FhirCalls.create(cutOff.baseUrl(), CLINIC_A, "Patient", FhirFixtures.patient("Tanaka", "Yui"));

            // Committed together: the patient and its unsent event.
            assertThat(Databases.queryLong(DATABASE, "SELECT count(*) FROM patient WHERE id = ?::uuid", patientId))
                    .isEqualTo(1);
            assertThat(Databases.queryLong(
                            DATABASE,
                            "SELECT count(*) FROM outbox_event WHERE envelope::jsonb ->> 'subject' = ? AND sent_at IS NULL",
                            "Patient/" + patientId))
                    .isEqualTo(1);

            cutOff.kill();
            assertThat(cutOff.isAlive()).isFalse();
        }

        try (TopicWatcher patientTopic = TopicWatcher.open("tessera.patient.v1");
                ServiceProcess restarted = ServiceProcess.start("patient-service", PORT, ownDatabase)) {
            JsonNode event = TopicWatcher.envelope(patientTopic.await(
                    e -> e.path("subject").asText().equals("Patient/" + patientId), Duration.ofSeconds(30)));
            assertThat(event.path("type").asText()).isEqualTo("tessera.patient.registered.v1");
            org.awaitility.Awaitility.await("the row is marked sent")
                    .atMost(Duration.ofSeconds(10))
                    .until(() ->
                            Databases.queryLong(DATABASE, "SELECT count(*) FROM outbox_event WHERE sent_at IS NULL")
                                    == 0);
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> merged = new java.util.HashMap<>(base);
        merged.put(key, value);
        return merged;
    }
}
