package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import health.tessera.testkit.Databases;
import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.TesseraEndpoints;
import health.tessera.testkit.TopicWatcher;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton's slice, through everything: a provider system's token from Keycloak, a Patient and a
 * blood pressure posted to the gateway, the events on Kafka, records-service's patient projection, and the
 * Flag alerts-service raises, read back through the gateway.
 */
class VerticalSliceIT {

    private static final Duration EVENT_DEADLINE = Duration.ofSeconds(30);

    @Test
    void hypertensiveCrisisBloodPressureRaisesAFlagReadableThroughTheGateway() throws Exception {
        try (TopicWatcher patientTopic = TopicWatcher.open("tessera.patient.v1");
                TopicWatcher recordTopic = TopicWatcher.open("tessera.record.v1");
                TopicWatcher alertTopic = TopicWatcher.open("tessera.alert.v1")) {

            String correlationId = "slice-" + System.nanoTime();
            JsonPath patient = given().baseUri(TesseraEndpoints.gateway())
                    .header("Authorization", bearer(CLINIC_A))
                    .header("X-Correlation-Id", correlationId)
                    .contentType("application/fhir+json")
                    .body(FhirFixtures.patient("Okafor", "Grace"))
                    .post("/fhir/Patient")
                    .then()
                    .statusCode(201)
                    .header("Location", startsWith(TesseraEndpoints.gateway() + "/fhir/Patient/"))
                    .header("ETag", equalTo("W/\"1\""))
                    .header("X-Correlation-Id", equalTo(correlationId))
                    .extract()
                    .jsonPath();
            String patientId = patient.getString("id");

            ConsumerRecord<String, String> registered =
                    patientTopic.await(e -> e.path("subject").asText().equals("Patient/" + patientId), EVENT_DEADLINE);
            JsonNode envelope = TopicWatcher.envelope(registered);
            assertThat(envelope.path("specversion").asText()).isEqualTo("1.0");
            assertThat(envelope.path("type").asText()).isEqualTo("tessera.patient.registered.v1");
            assertThat(envelope.path("source").asText()).isEqualTo("patient-service");
            assertThat(envelope.path("correlationid").asText()).isEqualTo(correlationId);
            assertThat(envelope.path("data").path("organization").asText()).isEqualTo("org-a");
            String enterpriseId = envelope.path("data").path("enterpriseId").asText();
            assertThat(registered.key()).isEqualTo(enterpriseId);
            assertThat(TopicWatcher.headers(registered)).containsEntry("x-correlation-id", correlationId);

            Awaitility.await("records-service projects the patient")
                    .atMost(EVENT_DEADLINE)
                    .until(() -> Databases.queryLong(
                                    "tessera_records",
                                    "SELECT count(*) FROM patient_projection WHERE patient_id = ? AND enterprise_id = ?",
                                    patientId,
                                    enterpriseId)
                            == 1);

            String observationId = FhirCalls.create(
                    TesseraEndpoints.gateway(),
                    CLINIC_A,
                    "Observation",
                    FhirFixtures.bloodPressure(patientId, 192, 124));

            JsonNode committed = TopicWatcher.envelope(recordTopic.await(
                    e -> e.path("subject").asText().equals("Observation/" + observationId), EVENT_DEADLINE));
            assertThat(committed.path("type").asText()).isEqualTo("tessera.record.committed.v1");
            assertThat(committed.path("data").path("patientId").asText()).isEqualTo(patientId);
            assertThat(committed.path("data").path("values").toString())
                    .contains("8480-6")
                    .contains("192");

            JsonNode raised = TopicWatcher.envelope(alertTopic.await(
                    e -> e.path("data").path("patientId").asText().equals(patientId), EVENT_DEADLINE));
            assertThat(raised.path("data").path("rule").asText()).isEqualTo("bp-hypertensive-crisis");
            String flagId = raised.path("data").path("flagId").asText();

            given().baseUri(TesseraEndpoints.gateway())
                    .header("Authorization", bearer(CLINIC_A))
                    .queryParam("patient", "Patient/" + patientId)
                    .get("/fhir/Flag")
                    .then()
                    .statusCode(200)
                    .body("resourceType", equalTo("Bundle"))
                    .body("type", equalTo("searchset"))
                    .body("entry.size()", equalTo(1))
                    .body("entry[0].resource.id", equalTo(flagId))
                    .body("entry[0].resource.status", equalTo("active"))
                    .body("entry[0].resource.subject.reference", equalTo("Patient/" + patientId))
                    .body("entry[0].resource.code.coding[0].code", equalTo("706882009"));

            given().baseUri(TesseraEndpoints.gateway())
                    .header("Authorization", bearer(CLINIC_A))
                    .get("/fhir/Flag/" + flagId)
                    .then()
                    .statusCode(200)
                    .body("code.text", startsWith("Blood pressure 192/124 mmHg"));
        }
    }

    @Test
    void normalBloodPressureRaisesNoFlag() throws Exception {
        String patientId = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Lindqvist", "Ebba"));
        // Once the patient is projected, the patient's record events share one key (the enterprise id), so they
        // reach alerts-service in the order they were committed.
        Awaitility.await("records-service projects the patient")
                .atMost(EVENT_DEADLINE)
                .until(() -> Databases.queryLong(
                                "tessera_records",
                                "SELECT count(*) FROM patient_projection WHERE patient_id = ? AND enterprise_id IS NOT NULL",
                                patientId)
                        == 1);
        String normal = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(patientId, 128, 82));
        String crisis = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(patientId, 185, 95));

        // alerts-service records only the events its rules flag: once the later crisis reading is flagged, the
        // normal one before it has been evaluated, and its having no flag is a real answer.
        Awaitility.await("alerts-service flagged the later crisis reading")
                .atMost(EVENT_DEADLINE)
                .until(() -> flagsOf(crisis) == 1);
        assertThat(flagsOf(normal)).isZero();
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .queryParam("patient", patientId)
                .get("/fhir/Flag")
                .then()
                .statusCode(200)
                .body("entry.size()", equalTo(1))
                .body(
                        "entry[0].resource.extension.find { it.url.endsWith('flag-detail') }.valueReference.reference",
                        equalTo("Observation/" + crisis));
        assertThat(Databases.queryLong(
                        "tessera_alerts",
                        "SELECT count(*) FROM processed_event WHERE consumer = 'alerts-service.rules' AND event_id = ?::uuid",
                        outboxEventId("tessera_records", "Observation/" + normal)))
                .as("an event the rules find nothing in costs no ledger row")
                .isZero();
    }

    /** How many flags alerts-service raised for version 1 of {@code Observation/id}. */
    private static long flagsOf(String observationId) throws Exception {
        return Databases.queryLong(
                "tessera_alerts",
                "SELECT count(*) FROM flag WHERE source_record = ?",
                "Observation/" + observationId + "/_history/1");
    }

    @Test
    void everythingThroughTheGatewayReturnsThePatientAndTheirRecords() throws Exception {
        String patientId = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Everly", "Ann"));
        String observationId = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(patientId, 122, 79));
        Awaitility.await("records-service knows the patient")
                .atMost(EVENT_DEADLINE)
                .until(() -> Databases.queryLong(
                                "tessera_records",
                                "SELECT count(*) FROM patient_projection WHERE patient_id = ?",
                                patientId)
                        == 1);
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + patientId + "/$everything")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("entry[0].resource.resourceType", equalTo("Patient"))
                .body("entry[0].resource.id", equalTo(patientId))
                .body("entry[1].resource.id", equalTo(observationId));
    }

    @Test
    void aTransactionBundleThroughTheGatewayCommitsWithResolvedReferences() {
        String patientId = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Tran", "Sacha"));
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:0b3a5e0c-6a57-4a3e-9d0b-7c1f1f4d2e01",
                  "resource":{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Patient/%s"}},
                  "request":{"method":"POST","url":"Encounter"}},
                 {"resource":{"resourceType":"Observation","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/%s"},
                   "encounter":{"reference":"urn:uuid:0b3a5e0c-6a57-4a3e-9d0b-7c1f1f4d2e01"}},
                  "request":{"method":"POST","url":"Observation"}}]}
                """.formatted(patientId, patientId);
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(bundle)
                .post("/fhir")
                .then()
                .statusCode(200)
                .body("type", equalTo("transaction-response"))
                .body("entry.response.status", org.hamcrest.Matchers.everyItem(equalTo("201 Created")));
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .queryParam("patient", patientId)
                .queryParam("encounter.status", "finished")
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(1));
    }

    @Test
    void patientEntriesOfATransactionAreRegisteredWithPatientServiceOnce() throws Exception {
        String mrn = "MRN-" + java.util.UUID.randomUUID();
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:5f1f7a1e-1b7c-4c59-9a43-0d7d6c0f9a11",
                  "resource":{"resourceType":"Patient","identifier":[{"system":"urn:oid:2.16.840.1.113883.19.5","value":"%s"}],
                   "name":[{"family":"Bundled","given":["Pat"]}],"birthDate":"1970-01-01"},
                  "request":{"method":"POST","url":"Patient"}},
                 {"resource":{"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                   "subject":{"reference":"urn:uuid:5f1f7a1e-1b7c-4c59-9a43-0d7d6c0f9a11"}},
                  "request":{"method":"POST","url":"Observation"}}]}
                """.formatted(mrn);
        var first = given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(bundle)
                .post("/fhir")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(first.getList("entry.response.status")).containsExactly("201 Created", "201 Created");
        String patient = first.getString("entry[0].response.location");
        String observation = first.getString("entry[1].response.location").split("/_history")[0];
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .get("/fhir/" + observation)
                .then()
                .statusCode(200)
                .body("subject.reference", equalTo(patient));

        // The same Bundle again: the patient is found by identifier, not registered twice.
        var second = given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(bundle)
                .post("/fhir")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(second.getString("entry[0].response.status")).isEqualTo("200 OK");
        assertThat(second.getString("entry[0].response.location")).isEqualTo(patient);
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .queryParam("identifier", "urn:oid:2.16.840.1.113883.19.5|" + mrn)
                .get("/fhir/Patient")
                .then()
                .statusCode(200)
                .body("total", equalTo(1));
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_B))
                .queryParam("identifier", "urn:oid:2.16.840.1.113883.19.5|" + mrn)
                .get("/fhir/Patient")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }

    static String outboxEventId(String database, String subject) throws Exception {
        try (var connection = Databases.connect(database);
                var select = connection.prepareStatement(
                        "SELECT event_id::text FROM outbox_event WHERE envelope::jsonb ->> 'subject' = ?")) {
            select.setString(1, subject);
            try (var rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
