package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.OPERATOR;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.TesseraEndpoints;
import health.tessera.testkit.TopicWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The master patient index on the running platform: one person registered by two organisations through the
 * gateway is one enterprise identity, announced as linked on Kafka with the golden record; a merge re-keys the
 * merged person's records in records-service ({@code $everything} follows it) and unmerge restores both.
 */
class EnterpriseIdentityIT {

    private static final Duration EVENT_DEADLINE = Duration.ofSeconds(30);

    private static String person(String given, String family, String birthDate, String phone, String line) {
        return FhirFixtures.person(given, family, birthDate, phone, line);
    }

    private static String register(KeycloakTokens.Client client, String body) {
        return FhirCalls.create(TesseraEndpoints.gateway(), client, "Patient", body);
    }

    private static String enterpriseOf(String patientId) {
        return given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(OPERATOR))
                .get("/mpi/links/" + patientId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("enterpriseId");
    }

    @Test
    void onePersonFromTwoOrganisationsIsLinkedAndTheLinkIsAnnounced() {
        try (TopicWatcher patientTopic = TopicWatcher.open("tessera.patient.v1")) {
            String born = FhirFixtures.randomBirthDate();
            String a = register(CLINIC_A, person("Desmond", "Achebe-Varga", born, "216-555-0190", "700 Euclid Avenue"));
            String b = register(CLINIC_B, person("Desmond", "Achebe-Varga", born, "(216) 555-0190", "700 Euclid Ave"));
            String enterprise = enterpriseOf(a);
            assertThat(enterpriseOf(b)).isEqualTo(enterprise);

            ConsumerRecord<String, String> linked = patientTopic.await(
                    e -> e.path("type").asText().equals("tessera.patient.linked.v1")
                            && e.path("data").path("patientId").asText().equals(b),
                    EVENT_DEADLINE);
            assertThat(linked.key()).isEqualTo(enterprise);
            JsonNode data = TopicWatcher.envelope(linked).path("data");
            assertThat(data.path("enterpriseId").asText()).isEqualTo(enterprise);
            assertThat(data.path("reason").asText()).isEqualTo("auto");
            assertThat(data.path("members").findValuesAsText("patientId")).containsExactlyInAnyOrder(a, b);
            assertThat(data.path("golden").path("id").asText()).isEqualTo(enterprise);
            assertThat(data.path("golden").path("identifier").size()).isEqualTo(2);

            // the link explains itself through the gateway, to operators only
            given().baseUri(TesseraEndpoints.gateway())
                    .header("Authorization", bearer(OPERATOR))
                    .get("/mpi/links/" + b)
                    .then()
                    .statusCode(200)
                    .body("current.explanation.band", org.hamcrest.Matchers.equalTo("MATCH"));
            given().baseUri(TesseraEndpoints.gateway())
                    .header("Authorization", bearer(CLINIC_B))
                    .get("/mpi/links/" + b)
                    .then()
                    .statusCode(403);
        }
    }

    @Test
    void aMergeReKeysTheRecordsAndUnmergeRestoresBoth() {
        String kept = register(
                CLINIC_A, person("Lorcan", "Ferriter", FhirFixtures.randomBirthDate(), "440-555-0101", "1 Shore Road"));
        String duplicate = register(
                CLINIC_A,
                person("Lorcan", "Ferriter", FhirFixtures.randomBirthDate(), "440-555-0177", "9 Hill Street"));
        assertThat(enterpriseOf(duplicate)).isNotEqualTo(enterpriseOf(kept));
        String observation = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(duplicate, 128, 82));
        Awaitility.await("records-service knows both patients")
                .atMost(EVENT_DEADLINE)
                .until(() -> everything(kept) != null && everything(duplicate) != null);
        assertThat(everything(kept)).doesNotContain(observation);

        String merge = given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(OPERATOR))
                .contentType("application/fhir+json")
                .body("""
                        {"resourceType":"Parameters","parameter":[
                          {"name":"source-patient","valueReference":{"reference":"Patient/%s"}},
                          {"name":"target-patient","valueReference":{"reference":"Patient/%s"}}]}
                        """.formatted(duplicate, kept))
                .post("/fhir/Patient/$merge")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("parameter.find { it.name == 'merge' }.valueString");
        Awaitility.await("$everything follows the merge")
                .atMost(EVENT_DEADLINE)
                .until(() -> everything(kept).contains(observation));

        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(OPERATOR))
                .contentType("application/fhir+json")
                .body("""
                        {"resourceType":"Parameters","parameter":[{"name":"merge","valueString":"%s"}]}
                        """.formatted(merge))
                .post("/fhir/Patient/$unmerge")
                .then()
                .statusCode(200);
        Awaitility.await("unmerge restores both")
                .atMost(EVENT_DEADLINE)
                .until(() -> !everything(kept).contains(observation));
        assertThat(everything(duplicate)).contains(observation);
    }

    /** The ids in the patient's {@code $everything} for org A, or null while records-service does not know it. */
    private static List<String> everything(String patientId) {
        var response = given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + patientId + "/$everything");
        if (response.statusCode() == 404) {
            return null;
        }
        assertThat(response.statusCode()).isEqualTo(200);
        return new ArrayList<>(response.jsonPath().getList("entry.resource.id", String.class));
    }
}
