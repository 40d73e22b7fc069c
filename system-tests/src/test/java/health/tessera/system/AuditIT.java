package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_A_READER;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B_BURST;
import static health.tessera.testkit.KeycloakTokens.OPERATOR;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.ServiceProcess;
import health.tessera.testkit.TesseraEndpoints;
import health.tessera.testkit.TopicWatcher;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every request at the gateway, allowed or denied, leaves exactly one audit event (tessera.audit.v1) with the
 * right outcome; exchange-service keeps them as FHIR AuditEvents; and when the audit cannot be recorded, the
 * gateway answers 503 instead of the data (fail closed).
 */
class AuditIT {

    private static final String AUDIT_TOPIC = "tessera.audit.v1";
    private static String patientId;
    private static String observationId;

    @BeforeAll
    static void orgAHasAPatientWithAnObservation() {
        patientId = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Audit", "Alice"));
        observationId = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(patientId, 120, 80));
    }

    private static RequestSpecification request(String correlationId) {
        return given().baseUri(TesseraEndpoints.gateway()).header("X-Correlation-Id", correlationId);
    }

    private static RequestSpecification as(KeycloakTokens.Client client, String correlationId) {
        return request(correlationId).header("Authorization", bearer(client));
    }

    /** A fresh correlation id per request: the audit event carries it. */
    private static String id(String what) {
        return "audit-it-" + what + "-" + UUID.randomUUID();
    }

    @Test
    void everyRequestAllowedOrDeniedLeavesExactlyOneAuditEventWithItsOutcome() throws Exception {
        Map<String, Integer> expectedStatus = new HashMap<>();
        try (TopicWatcher audit = TopicWatcher.open(AUDIT_TOPIC)) {
            String read = id("read");
            as(CLINIC_A, read).get("/fhir/Observation/" + observationId).then().statusCode(200);
            expectedStatus.put(read, 200);

            String search = id("search");
            as(CLINIC_A, search)
                    .get("/fhir/Observation?patient=Patient/" + patientId)
                    .then()
                    .statusCode(200);
            expectedStatus.put(search, 200);

            String otherOrg = id("other-org");
            as(CLINIC_B, otherOrg)
                    .get("/fhir/Observation/" + observationId)
                    .then()
                    .statusCode(404);
            expectedStatus.put(otherOrg, 404);

            String noToken = id("no-token");
            request(noToken).get("/fhir/Observation/" + observationId).then().statusCode(401);
            expectedStatus.put(noToken, 401);

            String badToken = id("bad-token");
            request(badToken)
                    .header("Authorization", "Bearer not.a.token")
                    .get("/fhir/Observation/" + observationId)
                    .then()
                    .statusCode(401);
            expectedStatus.put(badToken, 401);

            String noScope = id("no-scope");
            as(CLINIC_A_READER, noScope)
                    .contentType("application/fhir+json")
                    .body(FhirFixtures.bloodPressure(patientId, 130, 85))
                    .post("/fhir/Observation")
                    .then()
                    .statusCode(403);
            expectedStatus.put(noScope, 403);

            String tooLarge = id("too-large");
            as(CLINIC_A, tooLarge)
                    .contentType("application/fhir+json")
                    .body("{\"resourceType\":\"Observation\",\"note\":[{\"text\":\"" + "x".repeat(17 * 1024 * 1024)
                            + "\"}]}")
                    .post("/fhir/Observation")
                    .then()
                    .statusCode(413);
            expectedStatus.put(tooLarge, 413);

            String malformed = id("malformed");
            as(CLINIC_A, malformed)
                    .contentType("application/fhir+json")
                    .body("{\"resourceType\": \"Observation\", \"status\": ")
                    .post("/fhir/Observation")
                    .then()
                    .statusCode(400);
            expectedStatus.put(malformed, 400);

            String brokenEscape = id("broken-escape");
            assertThat(
                            FhirCalls.rawGet(
                                    "/fhir/Observation?code=http://loinc.org%ZZ8480-6", bearer(CLINIC_A), brokenEscape)[
                                    0])
                    .isEqualTo("400");
            expectedStatus.put(brokenEscape, 400);

            String throttled = aThrottledRequest();
            expectedStatus.put(throttled, 429);

            List<JsonNode> events = audit.all(envelope -> true, Duration.ofSeconds(3)).stream()
                    .map(TopicWatcher::envelope)
                    .toList();
            for (Map.Entry<String, Integer> request : expectedStatus.entrySet()) {
                List<JsonNode> mine = events.stream()
                        .filter(e ->
                                request.getKey().equals(e.path("correlationid").asText()))
                        .toList();
                assertThat(mine).as("audit events of %s", request.getKey()).hasSize(1);
                JsonNode data = mine.get(0).path("data");
                assertThat(mine.get(0).path("type").asText()).isEqualTo("tessera.audit.recorded.v1");
                assertThat(data.path("status").asInt()).as(request.getKey()).isEqualTo(request.getValue());
                assertThat(data.path("outcome").asText()).isEqualTo(request.getValue() < 400 ? "0" : "4");
            }

            JsonNode readEvent = only(events, read);
            assertThat(readEvent.path("action").asText()).isEqualTo("R");
            assertThat(readEvent.path("interaction").asText()).isEqualTo("read");
            assertThat(readEvent.path("resourceType").asText()).isEqualTo("Observation");
            assertThat(readEvent.path("resourceId").asText()).isEqualTo(observationId);
            assertThat(readEvent.path("agent").path("clientId").asText()).isEqualTo("clinic-a");
            assertThat(readEvent.path("agent").path("organization").asText()).isEqualTo("org-a");
            assertThat(readEvent.path("service").asText()).isEqualTo("records");
            assertThat(only(events, search).path("patientId").asText()).isEqualTo(patientId);
            assertThat(only(events, search).path("interaction").asText()).isEqualTo("search");
            assertThat(only(events, otherOrg).path("agent").path("organization").asText())
                    .isEqualTo("org-b");
            assertThat(only(events, noToken).path("agent").path("clientId").isNull())
                    .isTrue();
            assertThat(only(events, badToken).path("agent").path("clientId").isNull())
                    .isTrue();
            assertThat(only(events, noScope).path("action").asText()).isEqualTo("C");
        }
    }

    private static JsonNode only(List<JsonNode> events, String correlationId) {
        return events.stream()
                .filter(e -> correlationId.equals(e.path("correlationid").asText()))
                .findFirst()
                .orElseThrow()
                .path("data");
    }

    /** Sends a burst over clinic-b-burst's limit (5/s) and returns the correlation id of one refused request. */
    private static String aThrottledRequest() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<String> ids = new ArrayList<>();
            List<Future<Response>> sent = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String correlationId = id("burst");
                ids.add(correlationId);
                sent.add(pool.submit(() -> as(CLINIC_B_BURST, correlationId).get("/fhir/Observation?code=burst")));
            }
            for (int i = 0; i < sent.size(); i++) {
                if (sent.get(i).get().statusCode() == 429) {
                    return ids.get(i);
                }
            }
            throw new AssertionError("no request of the burst was refused");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void operatorsFindTheAuditEventsAsFhirAndOrganisationsOnlyTheirOwn() {
        String read = id("stored");
        as(CLINIC_A, read).get("/fhir/Observation/" + observationId).then().statusCode(200);

        String auditEventId = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> as(OPERATOR, id("operator"))
                                .get("/fhir/AuditEvent?request=" + read)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getString("entry[0].resource.id"),
                        found -> found != null);

        as(OPERATOR, id("operator-read"))
                .get("/fhir/AuditEvent/" + auditEventId)
                .then()
                .statusCode(200)
                .body("resourceType", equalTo("AuditEvent"))
                .body("type.code", equalTo("rest"))
                .body("subtype[0].code", equalTo("read"))
                .body("action", equalTo("R"))
                .body("outcome", equalTo("0"))
                .body("agent[0].who.identifier.value", equalTo("clinic-a"))
                .body("agent[1].who.identifier.value", equalTo("org-a"))
                .body("entity[0].what.reference", equalTo("Observation/" + observationId))
                .body("entity.find { it.type.code == 'XrequestId' }.what.identifier.value", equalTo(read));

        // the organisation whose request it was finds it; another organisation does not, not even by id
        as(CLINIC_A, id("own")).get("/fhir/AuditEvent?request=" + read).then().body("entry.size()", equalTo(1));
        as(CLINIC_B, id("foreign"))
                .get("/fhir/AuditEvent?request=" + read)
                .then()
                .body("entry", equalTo(null));
        as(CLINIC_B, id("foreign-read"))
                .get("/fhir/AuditEvent/" + auditEventId)
                .then()
                .statusCode(404);
        as(OPERATOR, id("bad-date"))
                .get("/fhir/AuditEvent?date=yesterday")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        as(OPERATOR, id("unknown")).get("/fhir/AuditEvent?colour=blue").then().statusCode(400);
    }

    /**
     * exchange-service keeps events as the gateway sent them and builds the FHIR AuditEvent when it is read; a row
     * stored as FHIR JSON before that (exchange-service's V2–V6) is still found and returned as stored.
     */
    @Test
    void anAuditEventStoredAsFhirBeforeIsStillReadAsStored() throws Exception {
        String id = UUID.randomUUID().toString();
        String request = id("stored-as-fhir");
        try (java.sql.Connection db = health.tessera.testkit.Databases.connect("tessera_exchange");
                java.sql.PreparedStatement insert = db.prepareStatement(
                        "INSERT INTO audit_event (id, recorded, correlation_id, client_id, organization, action,"
                                + " interaction, outcome, resource) VALUES (?::uuid, now(), ?, 'clinic-a', 'org-a',"
                                + " 'R', 'read', '0', ?::jsonb)")) {
            insert.setString(1, id);
            insert.setString(2, request);
            insert.setString(
                    3,
                    "{\"resourceType\":\"AuditEvent\",\"id\":\"" + id + "\",\"type\":{\"code\":\"rest\"},"
                            + "\"action\":\"R\",\"recorded\":\"2026-11-01T10:00:00Z\",\"outcome\":\"0\","
                            + "\"outcomeDesc\":\"stored as FHIR\",\"agent\":[{\"requestor\":true}],"
                            + "\"source\":{\"observer\":{\"display\":\"tessera gateway\"}}}");
            insert.executeUpdate();
        }
        as(OPERATOR, id("old-read"))
                .get("/fhir/AuditEvent/" + id)
                .then()
                .statusCode(200)
                .body("outcomeDesc", equalTo("stored as FHIR"));
        as(CLINIC_A, id("old-search"))
                .get("/fhir/AuditEvent?request=" + request)
                .then()
                .statusCode(200)
                .body("entry[0].resource.id", equalTo(id))
                .body("entry[0].resource.outcomeDesc", equalTo("stored as FHIR"));
    }

    @Test
    void withTheAuditStorageDownRequestsFailClosed() throws Exception {
        // A second gateway whose audit broker cannot be reached (nothing listens on port 1).
        try (ServiceProcess gateway = ServiceProcess.start(
                "gateway",
                18080,
                Map.of(
                        "kafka.bootstrap.servers", "127.0.0.1:1",
                        "tessera.gateway.audit.timeout", "2s",
                        "quarkus.log.console.json.enabled", "false"))) {
            given().baseUri(gateway.baseUrl())
                    .header("Authorization", bearer(CLINIC_A))
                    .get("/fhir/Observation/" + observationId)
                    .then()
                    .statusCode(503)
                    .header("Retry-After", equalTo("5"))
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].code", equalTo("transient"))
                    .body(not(containsString("8480-6")))
                    .body(not(containsString(patientId)));
            // a write is refused the same way, and says that it may have been saved
            given().baseUri(gateway.baseUrl())
                    .header("Authorization", bearer(CLINIC_A))
                    .contentType("application/fhir+json")
                    .body(FhirFixtures.bloodPressure(patientId, 125, 82))
                    .post("/fhir/Observation")
                    .then()
                    .statusCode(503)
                    .header("Location", equalTo(null))
                    .body("issue[0].diagnostics", containsString("may have been saved"));
            // denied requests are not answered unaccounted for either
            given().baseUri(gateway.baseUrl())
                    .get("/fhir/Observation/" + observationId)
                    .then()
                    .statusCode(503);
        }
    }

    @Test
    void whenTheAuditStorageRefusesTheEventTheRequestFailsClosed() {
        try (Admin kafka = Admin.create(adminConfig())) {
            // The topic accepts no record of any size: every audit event is refused by the broker.
            setTopicConfig(kafka, "max.message.bytes", "1");
            try {
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> as(CLINIC_A, id("refused"))
                                        .get("/fhir/Observation/" + observationId)
                                        .statusCode()
                                == 503);
                as(CLINIC_A, id("refused"))
                        .get("/fhir/Observation/" + observationId)
                        .then()
                        .statusCode(503)
                        .body("resourceType", equalTo("OperationOutcome"))
                        .body(not(containsString("8480-6")));
            } finally {
                setTopicConfig(kafka, "max.message.bytes", null);
            }
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> as(CLINIC_A, id("recovered"))
                                    .get("/fhir/Observation/" + observationId)
                                    .statusCode()
                            == 200);
        }
    }

    private static Properties adminConfig() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TesseraEndpoints.kafkaBootstrap());
        return props;
    }

    /** Sets (or, with a null value, removes) one configuration entry of the audit topic. */
    private static void setTopicConfig(Admin kafka, String name, String value) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, AUDIT_TOPIC);
        AlterConfigOp op = value == null
                ? new AlterConfigOp(new ConfigEntry(name, ""), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
        try {
            kafka.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot change " + AUDIT_TOPIC + "'s configuration", e);
        }
    }
}
