package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINICIAN_CLIENT;
import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.PORTAL_CLIENT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.KeycloakUsers;
import health.tessera.testkit.TesseraEndpoints;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * People signing in through SMART apps (authorization code with PKCE): a patient in the portal sees their own
 * record, from every organisation that holds part of it, and nothing of anyone else's (404, as if it did not
 * exist); a clinician sees their organisation's records only.
 */
class PatientAccessIT {

    private static final String PASSWORD = "correct horse battery staple";
    /** The tag records-service puts on what a patient wrote with their own token. */
    private static final String AUTHORSHIP = "https://tessera.health/fhir/CodeSystem/authorship";

    private static String aliceAtA;
    private static String aliceAtB;
    private static String bob;
    private static String aliceObservationAtA;
    private static String aliceObservationAtB;
    private static String bobObservation;
    private static String aliceToken;

    @BeforeAll
    static void aliceIsKnownToTwoOrganisationsAndBobToOne() {
        String born = FhirFixtures.randomBirthDate();
        aliceAtA = FhirCalls.create(
                TesseraEndpoints.gateway(),
                CLINIC_A,
                "Patient",
                FhirFixtures.person("Alicia", "Okonkwo-Brandt", born, "216-555-0142", "12 Larchmere Blvd"));
        aliceAtB = FhirCalls.create(
                TesseraEndpoints.gateway(),
                CLINIC_B,
                "Patient",
                FhirFixtures.person("Alicia", "Okonkwo-Brandt", born, "(216) 555-0142", "12 Larchmere Boulevard"));
        bob = FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Other", "Bob"));
        aliceObservationAtA = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(aliceAtA, 141, 91));
        aliceObservationAtB = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_B, "Observation", FhirFixtures.bloodPressure(aliceAtB, 133, 84));
        bobObservation = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(bob, 120, 80));

        String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        KeycloakUsers.create(alice, PASSWORD, Map.of("patient", aliceAtA, "fhirUser", "Patient/" + aliceAtA));
        aliceToken = KeycloakUsers.signIn(PORTAL_CLIENT, alice, PASSWORD, "openid patient/*.rs launch/patient");

        // records-service learns that both records are one person from patient-service's events
        Awaitility.await("records-service knows Alicia's identity")
                .atMost(Duration.ofSeconds(30))
                .until(() -> asAlice()
                        .get("/fhir/Patient/" + aliceAtA + "/$everything")
                        .then()
                        .extract()
                        .asString()
                        .contains(aliceObservationAtB));
    }

    private static RequestSpecification asAlice() {
        return given().baseUri(TesseraEndpoints.gateway()).header("Authorization", "Bearer " + aliceToken);
    }

    private static JsonNode claims(String token) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    @Test
    void thePortalTokenCarriesThePatientContextAndPatientScopes() throws Exception {
        JsonNode claims = claims(aliceToken);
        assertThat(claims.path("patient").asText()).isEqualTo(aliceAtA);
        assertThat(claims.path("fhirUser").asText()).isEqualTo("Patient/" + aliceAtA);
        assertThat(claims.path("azp").asText()).isEqualTo(PORTAL_CLIENT);
        assertThat(claims.path("scope").asText()).contains("patient/*.rs");
        assertThat(claims.path("org").isMissingNode()).isTrue();
    }

    @Test
    void aPatientReadsTheirOwnRecordsFromEveryOrganisation() {
        asAlice().get("/fhir/Observation/" + aliceObservationAtA).then().statusCode(200);
        asAlice().get("/fhir/Observation/" + aliceObservationAtB).then().statusCode(200);
        asAlice()
                .get("/fhir/Observation/" + aliceObservationAtA + "/_history/1")
                .then()
                .statusCode(200);
        asAlice()
                .get("/fhir/Observation/" + aliceObservationAtA + "/_history")
                .then()
                .statusCode(200)
                .body("entry.size()", equalTo(1));
        List<String> found = asAlice()
                .get("/fhir/Observation?code=http://loinc.org|85354-9")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource.id");
        assertThat(found).contains(aliceObservationAtA, aliceObservationAtB).doesNotContain(bobObservation);
        String everything = asAlice()
                .get("/fhir/Patient/" + aliceAtA + "/$everything")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(everything)
                .contains(aliceObservationAtA, aliceObservationAtB)
                .doesNotContain(bobObservation);
        // their Patient records: each organisation's, and the enterprise (golden) record
        asAlice().get("/fhir/Patient/" + aliceAtA).then().statusCode(200);
        asAlice().get("/fhir/Patient/" + aliceAtB).then().statusCode(200);
    }

    @Test
    void anotherPatientsDataReadsAsIfItDidNotExist() {
        String unknown = UUID.randomUUID().toString();
        String notFoundBody = asAlice()
                .get("/fhir/Observation/" + unknown)
                .then()
                .statusCode(404)
                .extract()
                .jsonPath()
                .getString("issue[0].code");
        asAlice()
                .get("/fhir/Observation/" + bobObservation)
                .then()
                .statusCode(404)
                .body("issue[0].code", equalTo(notFoundBody));
        asAlice()
                .get("/fhir/Observation/" + bobObservation + "/_history/1")
                .then()
                .statusCode(404);
        asAlice()
                .get("/fhir/Observation/" + bobObservation + "/_history")
                .then()
                .statusCode(404);
        asAlice().get("/fhir/Patient/" + bob).then().statusCode(404);
        asAlice().get("/fhir/Patient/" + bob + "/$everything").then().statusCode(404);
        asAlice()
                .get("/fhir/Observation?patient=Patient/" + bob)
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        asAlice()
                .get("/fhir/Observation?_id=" + bobObservation)
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void aPatientTokenCannotWriteNorReachPastItsCompartment() {
        asAlice()
                .contentType("application/fhir+json")
                .body(FhirFixtures.bloodPressure(aliceAtA, 150, 95))
                .post("/fhir/Observation")
                .then()
                .statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
        asAlice().delete("/fhir/Observation/" + aliceObservationAtA).then().statusCode(403);
        asAlice().get("/fhir/Observation?_include=Observation:subject").then().statusCode(400);
        asAlice().get("/fhir/Observation?_revinclude=Provenance:target").then().statusCode(400);
        asAlice().get("/fhir/Observation?subject:Patient.name=Other").then().statusCode(400);
        asAlice()
                .header("Prefer", "respond-async")
                .header("Accept", "application/fhir+json")
                .get("/fhir/$export")
                .then()
                .statusCode(403);
        asAlice().get("/fhir/Patient?name=Other").then().statusCode(403);
    }

    @Test
    void withAWriteScopeAPatientRecordsTheirOwnMeasurementsAndMessagesAndNothingElse() {
        String alice = "alice-writes-" + UUID.randomUUID().toString().substring(0, 8);
        KeycloakUsers.create(alice, PASSWORD, Map.of("patient", aliceAtA, "fhirUser", "Patient/" + aliceAtA));
        String token = KeycloakUsers.signIn(
                PORTAL_CLIENT,
                alice,
                PASSWORD,
                "openid patient/*.rs launch/patient patient/Observation.c patient/Communication.c");
        RequestSpecification asAliceWriting = given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", "Bearer " + token)
                .contentType("application/fhir+json");

        // Her home blood pressure, about her record at A: A holds it, tagged as written by her.
        String homeReading = asAliceWriting
                .body(FhirFixtures.bloodPressure(aliceAtA, 158, 99))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .body("meta.tag.find { it.system == '" + AUTHORSHIP + "' }.code", equalTo("patient"))
                .extract()
                .path("id");
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", KeycloakTokens.bearer(CLINIC_A))
                .get("/fhir/Observation?patient=" + aliceAtA + "&_tag=" + AUTHORSHIP + "|patient")
                .then()
                .statusCode(200)
                .body("entry.resource.id", contains(homeReading));
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", KeycloakTokens.bearer(CLINIC_B))
                .get("/fhir/Observation/" + homeReading)
                .then()
                .statusCode(404);
        asAliceWriting.get("/fhir/Observation/" + homeReading).then().statusCode(200);

        // About her record at B, B holds it; a message to her provider works the same way.
        String readingForB = asAliceWriting
                .body(FhirFixtures.bloodPressure(aliceAtB, 149, 93))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", KeycloakTokens.bearer(CLINIC_B))
                .get("/fhir/Observation/" + readingForB)
                .then()
                .statusCode(200);
        asAliceWriting
                .body("""
                        {"resourceType": "Communication", "status": "completed",
                         "subject": {"reference": "Patient/%s"},
                         "sender": {"reference": "Patient/%s"},
                         "payload": [{"contentString": "My readings at home are higher since the new dose."}]}""".formatted(aliceAtA, aliceAtA))
                .post("/fhir/Communication")
                .then()
                .statusCode(201);

        // Not about someone else, not another type, not a change, and never unvalidated.
        asAliceWriting
                .body(FhirFixtures.bloodPressure(bob, 120, 80))
                .post("/fhir/Observation")
                .then()
                .statusCode(403)
                .body("issue[0].diagnostics", containsString("about themselves"));
        asAliceWriting
                .body("""
                        {"resourceType": "Condition", "subject": {"reference": "Patient/%s"},
                         "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]}}""".formatted(aliceAtA))
                .post("/fhir/Condition")
                .then()
                .statusCode(403);
        asAliceWriting
                .body(FhirFixtures.bloodPressure(aliceAtA, 158, 99)
                        .replaceFirst("\\{", "{\"id\": \"" + homeReading + "\", "))
                .put("/fhir/Observation/" + homeReading)
                .then()
                .statusCode(403);
        asAliceWriting.delete("/fhir/Observation/" + homeReading).then().statusCode(403);
        asAliceWriting
                .header("X-Tessera-Validation", "skip")
                .body(FhirFixtures.bloodPressure(aliceAtA, 158, 99).replace("\"status\":\"final\",", ""))
                .post("/fhir/Observation")
                .then()
                .statusCode(422);
        asAliceWriting
                .header("If-None-Exist", "identifier=x|y")
                .body(FhirFixtures.bloodPressure(aliceAtA, 158, 99))
                .post("/fhir/Observation")
                .then()
                .statusCode(403);
    }

    @Test
    void aPortalUserWhoIsNoPatientGetsNothing() {
        String visitor = "visitor-" + UUID.randomUUID().toString().substring(0, 8);
        KeycloakUsers.create(visitor, PASSWORD, Map.of());
        String token = KeycloakUsers.signIn(PORTAL_CLIENT, visitor, PASSWORD, "openid patient/*.rs");
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", "Bearer " + token)
                .get("/fhir/Observation/" + aliceObservationAtA)
                .then()
                .statusCode(403);
    }

    @Test
    void aClinicianSeesTheirOrganisationsRecordsOnly() throws Exception {
        String doctor = "dr-" + UUID.randomUUID().toString().substring(0, 8);
        KeycloakUsers.create(doctor, PASSWORD, Map.of("org", "org-a", "fhirUser", "Practitioner/" + doctor));
        String token = KeycloakUsers.signIn(CLINICIAN_CLIENT, doctor, PASSWORD, "openid user/*.cruds");
        assertThat(claims(token).path("org").asText()).isEqualTo("org-a");
        RequestSpecification asDoctor =
                given().baseUri(TesseraEndpoints.gateway()).header("Authorization", "Bearer " + token);
        asDoctor.get("/fhir/Observation/" + aliceObservationAtA).then().statusCode(200);
        asDoctor.get("/fhir/Observation/" + aliceObservationAtB).then().statusCode(404);
        String created = asDoctor.contentType("application/fhir+json")
                .body(FhirFixtures.bloodPressure(aliceAtA, 138, 88))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        // the clinician's writes belong to their organisation
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", health.tessera.testkit.KeycloakTokens.bearer(CLINIC_A))
                .get("/fhir/Observation/" + created)
                .then()
                .statusCode(200);
    }
}
