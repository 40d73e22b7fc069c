package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_A_READER;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.PARTNER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.TesseraEndpoints;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Topic-based Subscriptions (R4 Subscriptions Backport) on the real stack: an integration partner subscribes with
 * its own token, its endpoint gets the handshake and then id-only notifications, and only about the records an
 * organisation shared with it under consent; what the exchange cannot honour is refused with 422, and another
 * organisation's subscription does not exist for the caller.
 */
class SubscriptionIT {

    private static final Duration EVENTUAL = Duration.ofSeconds(30);
    private static final String TOPIC = "https://tessera.health/fhir/SubscriptionTopic/record-changed";
    private static final String BLOOD_PRESSURE_PANEL = "http://loinc.org|85354-9";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer receiver;
    private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    private volatile int answer = 200;
    private final List<String> subscriptions = new ArrayList<>();

    @BeforeEach
    void startTheReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (answer == 200) {
                notifications.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopTheReceiverAndDeleteTheSubscriptions() {
        for (String id : subscriptions) {
            as(PARTNER).delete("/fhir/Subscription/" + id);
        }
        receiver.stop(0);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private static RequestSpecification as(KeycloakTokens.Client client) {
        return given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", KeycloakTokens.bearer(client))
                .contentType("application/fhir+json");
    }

    private static String subscription(String filter, String endpoint, String payloadContent) {
        return """
                {"resourceType": "Subscription", "status": "requested", "reason": "care coordination",
                 "criteria": "%s",
                 "_criteria": {"extension": [{
                   "url": "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria",
                   "valueString": "%s"}]},
                 "channel": {"type": "rest-hook", "endpoint": "%s", "payload": "application/fhir+json",
                   "_payload": {"extension": [{
                     "url": "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content",
                     "valueCode": "%s"}]}}}""".formatted(TOPIC, filter, endpoint, payloadContent);
    }

    private String subscribe(String filter) {
        String id = as(PARTNER)
                .body(subscription(filter, endpoint(), "id-only"))
                .post("/fhir/Subscription")
                .then()
                .statusCode(201)
                .body("status", equalTo("requested"))
                .extract()
                .path("id");
        subscriptions.add(id);
        return id;
    }

    private static String statusOf(String subscriptionId) {
        return as(PARTNER)
                .get("/fhir/Subscription/" + subscriptionId)
                .then()
                .extract()
                .path("status");
    }

    private static String consentSharingWithThePartner(String patientId) {
        return """
                {"resourceType": "Consent", "status": "active",
                 "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                   "code": "patient-privacy"}]},
                 "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
                 "patient": {"reference": "Patient/%s"},
                 "organization": [{"reference": "Organization/org-a"}],
                 "provision": {"type": "permit", "actor": [{"role": {"coding": [{
                   "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP"}]},
                   "reference": {"reference": "Organization/partner-acme"}}]}}""".formatted(patientId);
    }

    /** The parameter {@code name} of a notification's subscription-status Parameters. */
    private static List<JsonNode> statusParameters(JsonNode notification, String name) {
        List<JsonNode> found = new ArrayList<>();
        notification.path("entry").get(0).path("resource").path("parameter").forEach(p -> {
            if (p.path("name").asText().equals(name)) {
                found.add(p);
            }
        });
        return found;
    }

    private List<JsonNode> notificationsOfType(String type) {
        return notifications.stream()
                .filter(n -> statusParameters(n, "type")
                        .get(0)
                        .path("valueCode")
                        .asText()
                        .equals(type))
                .toList();
    }

    /** The records the event notifications named, in the order they arrived. */
    private List<String> notifiedFoci() {
        return notificationsOfType("event-notification").stream()
                .flatMap(n -> statusParameters(n, "notification-event").stream())
                .flatMap(event -> {
                    List<String> foci = new ArrayList<>();
                    event.path("part").forEach(part -> {
                        if (part.path("name").asText().equals("focus")) {
                            foci.add(part.path("valueReference")
                                    .path("reference")
                                    .asText());
                        }
                    });
                    return foci.stream();
                })
                .map(reference -> reference.replaceFirst("^.*/fhir/", ""))
                .toList();
    }

    /**
     * Waits until exchange-service's subscription matcher has committed every record event published so far:
     * what it will notify of the events up to now is then queued.
     */
    private static void awaitMatcherCaughtUp() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TesseraEndpoints.kafkaBootstrap());
        try (Admin admin = Admin.create(props)) {
            List<TopicPartition> partitions = admin
                    .describeTopics(List.of("tessera.record.v1"))
                    .allTopicNames()
                    .get()
                    .get("tessera.record.v1")
                    .partitions()
                    .stream()
                    .map(p -> new TopicPartition("tessera.record.v1", p.partition()))
                    .toList();
            Map<TopicPartition, Long> ends = admin
                    .listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all()
                    .get()
                    .entrySet()
                    .stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().offset()));
            Awaitility.await("the subscription matcher has read every record event so far")
                    .atMost(EVENTUAL)
                    .until(() -> {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                        "exchange-service.subscriptions")
                                .partitionsToOffsetAndMetadata()
                                .get();
                        return ends.entrySet().stream()
                                .allMatch(end -> end.getValue() == 0
                                        || (committed.get(end.getKey()) != null
                                                && committed.get(end.getKey()).offset() >= end.getValue()));
                    });
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the subscription matcher's offsets", e);
        }
    }

    @Test
    void aPartnerIsToldOnlyOfTheRecordsAConsentSharesWithIt() {
        String alice = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Okonkwo-Lindqvist", "Adaeze"));
        String bob = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Thorvaldsen", "Ebbe"));
        String subscriptionId = subscribe("Observation?code=" + BLOOD_PRESSURE_PANEL);

        Awaitility.await("the handshake is accepted and the subscription is active")
                .atMost(EVENTUAL)
                .until(() -> "active".equals(statusOf(subscriptionId)));
        assertThat(notificationsOfType("handshake")).hasSize(1);

        // Before any consent, org-a's records are none of the partner's business.
        String beforeConsent = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(alice, 150, 95));
        awaitMatcherCaughtUp();

        FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, "Consent", consentSharingWithThePartner(alice));
        String shared = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(alice, 142, 91));
        String notShared = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(bob, 128, 82));
        String otherCode = FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, "Condition", """
                {"resourceType": "Condition", "subject": {"reference": "Patient/%s"},
                 "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]}}""".formatted(alice));

        Awaitility.await("the shared blood pressure is notified")
                .atMost(EVENTUAL)
                .until(() -> notifiedFoci().contains("Observation/" + shared));
        awaitMatcherCaughtUp();
        as(PARTNER)
                .get("/fhir/Subscription/" + subscriptionId + "/$status")
                .then()
                .statusCode(200)
                .body("parameter.find { it.name == 'events-since-subscription-start' }.valueString", equalTo("1"))
                .body("parameter.find { it.name == 'status' }.valueCode", equalTo("active"));
        assertThat(notifiedFoci())
                .containsExactly("Observation/" + shared)
                .noneMatch(focus ->
                        focus.contains(beforeConsent) || focus.contains(notShared) || focus.contains(otherCode));

        JsonNode notification = notificationsOfType("event-notification").get(0);
        assertThat(notification.path("entry").get(1).path("fullUrl").asText())
                .as("a fullUrl names the record, not a version (bdl-8)")
                .endsWith("/fhir/Observation/" + shared);
        assertThat(notification
                        .path("entry")
                        .get(1)
                        .path("response")
                        .path("location")
                        .asText())
                .isEqualTo("Observation/" + shared + "/_history/1");
        assertThat(notification.path("type").asText()).isEqualTo("history");
        assertThat(statusParameters(notification, "topic")
                        .get(0)
                        .path("valueCanonical")
                        .asText())
                .isEqualTo(TOPIC);
        assertThat(notification
                        .path("entry")
                        .get(1)
                        .path("request")
                        .path("method")
                        .asText())
                .isEqualTo("POST");
        assertThat(notification.path("entry").get(1).has("resource"))
                .as("id-only: the partner reads the record with its own access, if it has any")
                .isFalse();
        // The partner's token reads no records, even the ones it is told of.
        as(PARTNER).get("/fhir/Observation/" + shared).then().statusCode(403);

        // Deleted, it is told of nothing more.
        as(PARTNER).delete("/fhir/Subscription/" + subscriptionId).then().statusCode(204);
        as(PARTNER).get("/fhir/Subscription/" + subscriptionId).then().statusCode(410);
        FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(alice, 138, 88));
        awaitMatcherCaughtUp();
        assertThat(notifiedFoci()).hasSize(1);
    }

    @Test
    void anEndpointThatRefusesTheHandshakePutsTheSubscriptionInError() {
        answer = 503;
        String subscriptionId = subscribe("Observation?code=" + BLOOD_PRESSURE_PANEL);

        Awaitility.await("the subscription goes to error after the handshake attempts")
                .atMost(EVENTUAL)
                .until(() -> "error".equals(statusOf(subscriptionId)));
        as(PARTNER)
                .get("/fhir/Subscription/" + subscriptionId)
                .then()
                .body("error", containsString("HTTP 503"))
                .body("meta.versionId", equalTo("2"));

        // Asked again (status requested) once the endpoint works, it becomes active.
        answer = 200;
        String again = subscription("Observation?code=" + BLOOD_PRESSURE_PANEL, endpoint(), "id-only")
                .replaceFirst("\\{", "{\"id\": \"" + subscriptionId + "\", ");
        as(PARTNER)
                .header("If-Match", "W/\"1\"")
                .body(again)
                .put("/fhir/Subscription/" + subscriptionId)
                .then()
                .statusCode(412);
        as(PARTNER)
                .header("If-Match", "W/\"2\"")
                .body(again)
                .put("/fhir/Subscription/" + subscriptionId)
                .then()
                .statusCode(200)
                .body("status", equalTo("requested"));
        Awaitility.await("the subscription is active after a new handshake")
                .atMost(EVENTUAL)
                .until(() -> "active".equals(statusOf(subscriptionId)));
        as(PARTNER)
                .get("/fhir/Subscription/" + subscriptionId + "/_history/1")
                .then()
                .statusCode(200)
                .body("status", equalTo("requested"));
    }

    @Test
    void aSubscriptionThatAskedForHeartbeatsGetsThemWhileNothingHappens() {
        String body = subscription("Observation?code=http://loinc.org|0000-0", endpoint(), "empty")
                .replace(
                        "\"channel\": {",
                        "\"channel\": {\"extension\": [{\"url\": \"http://hl7.org/fhir/uv/subscriptions-backport/"
                                + "StructureDefinition/backport-heartbeat-period\", \"valueUnsignedInt\": 5}], ");
        String id = as(PARTNER)
                .body(body)
                .post("/fhir/Subscription")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        subscriptions.add(id);
        Awaitility.await("two heartbeats arrive")
                .atMost(EVENTUAL)
                .until(() -> notificationsOfType("heartbeat").size() >= 2);
        JsonNode heartbeat = notificationsOfType("heartbeat").get(0);
        assertThat(statusParameters(heartbeat, "events-since-subscription-start")
                        .get(0)
                        .path("valueString")
                        .asText())
                .isEqualTo("0");
        assertThat(statusParameters(heartbeat, "notification-event")).isEmpty();
        refused(body.replace("\"valueUnsignedInt\": 5", "\"valueUnsignedInt\": 1"), "heartbeat");
    }

    @Test
    void anOrganisationKeepsAHundredSubscriptionsAtMost() {
        String paused = subscription("Observation", endpoint(), "id-only").replace("\"requested\"", "\"off\"");
        List<String> existing = FhirCalls.foundIds(as(PARTNER), "/fhir/Subscription?_count=1000");
        for (int i = existing.size(); i < 100; i++) {
            subscriptions.add(as(PARTNER)
                    .body(paused)
                    .post("/fhir/Subscription")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id"));
        }
        refused(paused, "the most it may have");
        // Another organisation is not held back by this one's.
        String ownId = as(CLINIC_B)
                .body(paused)
                .post("/fhir/Subscription")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(CLINIC_B).delete("/fhir/Subscription/" + ownId).then().statusCode(204);
    }

    @Test
    void whatTheExchangeCannotHonourIsRefusedAndOthersSubscriptionsDoNotExist() {
        String filter = "Observation?code=" + BLOOD_PRESSURE_PANEL;
        refused(subscription(filter, endpoint(), "id-only").replace(TOPIC, "http://example.org/topic"), "criteria");
        refused(subscription(filter, endpoint(), "id-only").replace("rest-hook", "email"), "channel.type");
        refused(subscription("Observation?value-quantity=gt140", endpoint(), "id-only"), "value-quantity");
        refused(subscription("Patient?name=x", endpoint(), "id-only"), "record type");
        refused(subscription(filter, endpoint(), "full-resource"), "full-resource");
        refused(subscription(filter, endpoint().replace("http://", "http://user:secret@"), "id-only"), "credentials");
        refused(subscription(filter, "not a url", "id-only"), "endpoint");
        refused(subscription(filter, endpoint(), "id-only").replace("\"requested\"", "\"error\""), "status");
        as(PARTNER)
                .body("{\"resourceType\": \"Subscription\", \"status\": ")
                .post("/fhir/Subscription")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        as(PARTNER).get("/fhir/Subscription?status=sleeping").then().statusCode(400);
        as(PARTNER).post("/fhir/Subscription").then().statusCode(400);
        refused(subscription("Observation?code=%zz", endpoint(), "id-only"), "malformed");

        // Without a Subscription scope: 403; another organisation's subscription reads as one that does not exist.
        as(CLINIC_A_READER)
                .body(subscription(filter, endpoint(), "id-only"))
                .post("/fhir/Subscription")
                .then()
                .statusCode(403);
        String subscriptionId = subscribe(filter);
        as(CLINIC_B).get("/fhir/Subscription/" + subscriptionId).then().statusCode(404);
        as(CLINIC_B)
                .get("/fhir/Subscription/" + subscriptionId + "/$status")
                .then()
                .statusCode(404);
        as(CLINIC_B).delete("/fhir/Subscription/" + subscriptionId).then().statusCode(404);
        as(CLINIC_B)
                .get("/fhir/Subscription/" + java.util.UUID.randomUUID())
                .then()
                .statusCode(404);
        assertThat(FhirCalls.foundIds(as(CLINIC_B), "/fhir/Subscription")).doesNotContain(subscriptionId);
        assertThat(FhirCalls.foundIds(as(PARTNER), "/fhir/Subscription")).contains(subscriptionId);

        // The platform's CapabilityStatement offers the topic, once however often it is read.
        for (int read = 0; read < 3; read++) {
            given().baseUri(TesseraEndpoints.gateway())
                    .get("/fhir/metadata")
                    .then()
                    .statusCode(200)
                    .body("rest[0].resource.findAll { it.type == 'Subscription' }.size()", equalTo(1))
                    .body("rest[0].resource.findAll { it.type == 'Consent' }.size()", equalTo(1))
                    .body(
                            "rest[0].resource.find { it.type == 'Subscription' }.extension[0].valueCanonical",
                            equalTo(TOPIC));
        }
    }

    private void refused(String body, String mentioned) {
        as(PARTNER)
                .body(body)
                .post("/fhir/Subscription")
                .then()
                .statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString(mentioned));
    }
}
