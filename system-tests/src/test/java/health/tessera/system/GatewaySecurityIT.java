package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.NO_AUDIENCE;
import static health.tessera.testkit.KeycloakTokens.accessToken;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.TesseraEndpoints;
import io.restassured.response.ValidatableResponse;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The first security rules, each with its negative case: no valid token, no entry (401 with an
 * OperationOutcome), at the gateway and at each service directly; another organisation's data reads as 404.
 */
class GatewaySecurityIT {

    private static String patientId;
    private static String observationId;

    @BeforeAll
    static void orgAHasAPatientWithAnObservation() {
        patientId = create("Patient", FhirFixtures.patient("Moreau", "Lea"));
        observationId = create("Observation", FhirFixtures.bloodPressure(patientId, 120, 80));
    }

    @Test
    void noTokenIs401WithAnOperationOutcome() {
        expectUnauthorized(given().baseUri(TesseraEndpoints.gateway())
                .get("/fhir/Patient/" + patientId)
                .then());
        expectUnauthorized(given().baseUri(TesseraEndpoints.gateway())
                .contentType("application/fhir+json")
                .body(FhirFixtures.patient("X", "Y"))
                .post("/fhir/Patient")
                .then());
    }

    @Test
    void garbageTokenIs401() {
        expectUnauthorized(given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", "Bearer not.a.token")
                .get("/fhir/Patient/" + patientId)
                .then());
    }

    @Test
    void tokenWithATamperedPayloadIs401() {
        String[] parts = accessToken(CLINIC_A).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"org-a\"", "\"org-b\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
        expectUnauthorized(given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", "Bearer " + forged)
                .get("/fhir/Patient/" + patientId)
                .then());
    }

    /**
     * Services remember tokens they verified (VerifiedTokens): a token accepted a moment ago, then altered in
     * its signature or payload, is verified afresh and refused, at the gateway and at the service directly.
     */
    @Test
    void aTokenVerifiedBeforeThenAlteredIs401() {
        String token = accessToken(CLINIC_A);
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 2);
        String badSignature = parts[0] + "." + parts[1] + "."
                + parts[2].substring(0, parts[2].length() - 2) + (last == 'A' ? 'B' : 'A')
                + parts[2].charAt(parts[2].length() - 1);
        for (String base : java.util.List.of(TesseraEndpoints.gateway(), TesseraEndpoints.recordsService())) {
            given().baseUri(base)
                    .header("Authorization", "Bearer " + token)
                    .get("/fhir/Observation/" + observationId)
                    .then()
                    .statusCode(200);
            expectUnauthorized(given().baseUri(base)
                    .header("Authorization", "Bearer " + badSignature)
                    .get("/fhir/Observation/" + observationId)
                    .then());
        }
    }

    @Test
    void unsignedTokenIs401() {
        String[] parts = accessToken(CLINIC_A).split("\\.");
        String none =
                Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        expectUnauthorized(given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", "Bearer " + none + "." + parts[1] + ".")
                .get("/fhir/Patient/" + patientId)
                .then());
    }

    @Test
    void tokenForAnotherAudienceIs401() {
        expectUnauthorized(given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(NO_AUDIENCE))
                .get("/fhir/Patient/" + patientId)
                .then());
    }

    @Test
    void expiredTokenIs401AtTheGatewayAndAtTheService() throws InterruptedException {
        // clinic-a-short-lived's tokens live 2 seconds; used once while valid, so the services have verified
        // (and remembered) it before it expires
        String token = health.tessera.testkit.KeycloakTokens.freshAccessToken(
                health.tessera.testkit.KeycloakTokens.SHORT_LIVED);
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", "Bearer " + token)
                .get("/fhir/Observation/" + observationId)
                .then()
                .statusCode(200);
        Thread.sleep(3_000);
        expectUnauthorized(given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", "Bearer " + token)
                .get("/fhir/Observation/" + observationId)
                .then());
        expectUnauthorized(given().header("Authorization", "Bearer " + token)
                .get(TesseraEndpoints.recordsService() + "/fhir/Observation/" + observationId)
                .then());
    }

    @Test
    void aBackendServiceAuthenticatesWithASignedAssertionNotASecret() {
        // SMART backend services: private_key_jwt with RS384; the token then works like any provider system's
        String token = health.tessera.testkit.BackendServiceTokens.accessToken();
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", "Bearer " + token)
                .get("/fhir/Observation/" + observationId)
                .then()
                .statusCode(200);
        // an assertion signed with another key, or made for another audience, gets no token
        org.assertj.core.api.Assertions.assertThat(health.tessera.testkit.BackendServiceTokens.requestToken(
                                health.tessera.testkit.BackendServiceTokens.tokenEndpoint(),
                                health.tessera.testkit.BackendServiceTokens.unknownKey())
                        .statusCode())
                .isIn(400, 401);
        org.assertj.core.api.Assertions.assertThat(health.tessera.testkit.BackendServiceTokens.requestToken(
                                "https://elsewhere.example/token",
                                health.tessera.testkit.BackendServiceTokens.registeredKey())
                        .statusCode())
                .isIn(400, 401);
    }

    @Test
    void tokenOfAnotherIssuerIs401() {
        // a genuine Keycloak token, signed by Keycloak, but from another realm (issuer)
        String foreign = health.tessera.testkit.KeycloakUsers.masterRealmToken();
        expectUnauthorized(given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", "Bearer " + foreign)
                .get("/fhir/Patient/" + patientId)
                .then());
        expectUnauthorized(given().header("Authorization", "Bearer " + foreign)
                .get(TesseraEndpoints.recordsService() + "/fhir/Observation/" + observationId)
                .then());
    }

    /** Defence in depth: a service reached without the gateway checks the token itself. */
    @ParameterizedTest
    @ValueSource(strings = {"patient", "records", "alerts"})
    void servicesRejectRequestsWithoutAValidTokenThemselves(String service) {
        String base = switch (service) {
            case "patient" -> TesseraEndpoints.patientService() + "/fhir/Patient/" + patientId;
            case "records" -> TesseraEndpoints.recordsService() + "/fhir/Observation/" + observationId;
            default -> TesseraEndpoints.alertsService() + "/fhir/Flag?patient=" + patientId;
        };
        expectUnauthorized(given().get(base).then());
        expectUnauthorized(
                given().header("Authorization", bearer(NO_AUDIENCE)).get(base).then());
    }

    @Test
    void anotherOrganisationsPatientReadsAsNotFound() {
        String unknown = java.util.UUID.randomUUID().toString();
        ValidatableResponse invisible = given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Patient/" + patientId)
                .then();
        ValidatableResponse missing = given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Patient/" + unknown)
                .then();
        invisible
                .statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("not-found"));
        missing.statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("not-found"));
    }

    @Test
    void anotherOrganisationsObservationReadsAsNotFound() {
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Observation/" + observationId)
                .then()
                .statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"));
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Observation/" + observationId)
                .then()
                .statusCode(200)
                .body("id", equalTo(observationId));
    }

    @Test
    void dataIsStampedWithTheCallersOrganisationNotTheBodys() throws Exception {
        String body = FhirFixtures.patient("Rossi", "Marco")
                .replace(
                        "{\"resourceType\":\"Patient\",",
                        "{\"resourceType\":\"Patient\",\"meta\":{\"security\":[{\"system\":\"https://tessera.health/org\",\"code\":\"org-b\"}]},");
        String id = create("Patient", body);
        org.assertj.core.api.Assertions.assertThat(health.tessera.testkit.Databases.queryLong(
                        "tessera_patient",
                        "SELECT count(*) FROM patient WHERE id = ?::uuid AND organization = 'org-a'",
                        id))
                .isEqualTo(1);
        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Patient/" + id)
                .then()
                .statusCode(404);
    }

    static String create(String type, String json) {
        return FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, type, json);
    }

    private static void expectUnauthorized(ValidatableResponse response) {
        response.statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("login"));
    }
}
