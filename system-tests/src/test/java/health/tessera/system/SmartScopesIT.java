package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_A_LAB;
import static health.tessera.testkit.KeycloakTokens.CLINIC_A_READER;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.TesseraEndpoints;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SMART on FHIR v2 scopes on the running platform, with real Keycloak tokens: discovery is public; a read-only
 * token ({@code system/*.rs}) and an Observations-only token ({@code system/Observation.cruds}) get 403 for what
 * their scopes do not grant — at the gateway and again at each service, for reads, searches, writes, operations,
 * {@code _include}/{@code _revinclude}, and Bundle entries one by one.
 */
class SmartScopesIT {

    private static RequestSpecification as(String base, KeycloakTokens.Client client) {
        return given().baseUri(base).header("Authorization", bearer(client)).contentType("application/fhir+json");
    }

    private static final List<String> BOTH_WAYS =
            List.of(TesseraEndpoints.gateway(), TesseraEndpoints.recordsService());

    @Test
    void discoveryIsPublicAndSaysWhatIsSupported() {
        for (String path : List.of("/fhir/.well-known/smart-configuration", "/.well-known/smart-configuration")) {
            given().baseUri(TesseraEndpoints.gateway())
                    .get(path)
                    .then()
                    .statusCode(200)
                    .body("token_endpoint", containsString("/protocol/openid-connect/token"))
                    .body("capabilities", hasItem("permission-v2"))
                    .body("grant_types_supported", hasItem("client_credentials"))
                    .body("scopes_supported", hasItem("system/*.rs"))
                    .body("scopes_supported", hasItem("patient/*.rs"))
                    .body("grant_types_supported", hasItem("authorization_code"))
                    .body("authorization_endpoint", containsString("/protocol/openid-connect/auth"))
                    .body("capabilities", hasItem("permission-patient"))
                    .body("token_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                    .body("code_challenge_methods_supported", hasItem("S256"));
        }
    }

    /** A partner's token manages subscriptions and nothing else: no record, patient or operation of anyone's. */
    @Test
    void anIntegrationPartnerReadsNoRecords() {
        String patient = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Partnerless", "Ada"));
        String observation = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(patient, 120, 80));
        for (String path : List.of(
                "/fhir/Observation/" + observation,
                "/fhir/Observation?patient=" + patient,
                "/fhir/Patient/" + patient,
                "/fhir/Patient?family=Partnerless",
                "/fhir/Patient/" + patient + "/$everything",
                "/fhir/Consent",
                "/fhir/AuditEvent")) {
            as(TesseraEndpoints.gateway(), KeycloakTokens.PARTNER)
                    .get(path)
                    .then()
                    .statusCode(403)
                    .body("resourceType", equalTo("OperationOutcome"));
        }
        as(TesseraEndpoints.recordsService(), KeycloakTokens.PARTNER)
                .get("/fhir/Observation/" + observation)
                .then()
                .statusCode(403);
        as(TesseraEndpoints.gateway(), KeycloakTokens.PARTNER)
                .body(FhirFixtures.bloodPressure(patient, 200, 120))
                .post("/fhir/Observation")
                .then()
                .statusCode(403);
    }

    @Test
    void thePlatformsCapabilityStatementMergesEveryServices() {
        io.restassured.path.json.JsonPath statement = given().baseUri(TesseraEndpoints.gateway())
                .accept("application/fhir+json")
                .get("/fhir/metadata")
                .then()
                .statusCode(200)
                .body("resourceType", org.hamcrest.Matchers.equalTo("CapabilityStatement"))
                .body("rest[0].security.service[0].coding[0].code", org.hamcrest.Matchers.equalTo("SMART-on-FHIR"))
                .extract()
                .jsonPath();
        List<String> types = statement.getList("rest[0].resource.type");
        org.assertj.core.api.Assertions.assertThat(types)
                .contains("Observation", "Encounter", "Patient", "AuditEvent", "Flag")
                .doesNotHaveDuplicates();
        // Patient: patient-service's interactions and operations plus records-service's $everything
        org.assertj.core.api.Assertions.assertThat(
                        statement.getList("rest[0].resource.find { it.type == 'Patient' }.operation.name"))
                .contains("everything", "match", "merge", "ihe-pix");
        org.assertj.core.api.Assertions.assertThat(
                        statement.getList("rest[0].resource.find { it.type == 'Patient' }.interaction.code"))
                .contains("read", "create", "search-type");
        org.assertj.core.api.Assertions.assertThat(
                        statement.getList("rest[0].resource.find { it.type == 'AuditEvent' }.searchParam.name"))
                .contains("date", "patient", "agent");
        // the OpenAPI document of every service behind the gateway, public too
        java.util.Map<String, Object> paths = given().baseUri(TesseraEndpoints.gateway())
                .get("/openapi")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("paths");
        org.assertj.core.api.Assertions.assertThat(paths.keySet())
                .anyMatch(path -> path.startsWith("/fhir/Patient"))
                .anyMatch(path -> path.startsWith("/fhir/AuditEvent"))
                .anyMatch(path -> path.startsWith("/fhir/Flag"))
                .anyMatch(path -> path.startsWith("/mpi/"));
        // and in XML too
        given().baseUri(TesseraEndpoints.gateway())
                .accept("application/fhir+xml")
                .get("/fhir/metadata")
                .then()
                .statusCode(200)
                .body(containsString("<CapabilityStatement"));
    }

    @Test
    void aReadOnlyTokenReadsButNeverWrites() {
        String patient = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Scope", "Reader"));
        String observation = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(patient, 120, 80));
        for (String base : BOTH_WAYS) {
            as(base, CLINIC_A_READER)
                    .get("/fhir/Observation/" + observation)
                    .then()
                    .statusCode(200);
            as(base, CLINIC_A_READER)
                    .get("/fhir/Observation?subject=Patient/" + patient)
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(1));
            as(base, CLINIC_A_READER)
                    .body(FhirFixtures.bloodPressure(patient, 130, 85))
                    .post("/fhir/Observation")
                    .then()
                    .statusCode(403)
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].code", equalTo("forbidden"));
            as(base, CLINIC_A_READER)
                    .body(FhirFixtures.bloodPressure(patient, 130, 85)
                            .replaceFirst("\\{", "{\"id\":\"" + observation + "\","))
                    .put("/fhir/Observation/" + observation)
                    .then()
                    .statusCode(403);
            as(base, CLINIC_A_READER)
                    .delete("/fhir/Observation/" + observation)
                    .then()
                    .statusCode(403);
        }
        // patient-service checks the token's scopes itself too
        as(TesseraEndpoints.patientService(), CLINIC_A_READER)
                .body(FhirFixtures.patient("Scope", "Writer"))
                .post("/fhir/Patient")
                .then()
                .statusCode(403);
        // a batch: each write entry refused on its own, the read entry answered
        as(TesseraEndpoints.gateway(), CLINIC_A_READER)
                .body("""
                        {"resourceType":"Bundle","type":"batch","entry":[
                          {"resource":%s,"request":{"method":"POST","url":"Observation"}},
                          {"request":{"method":"GET","url":"Observation/%s"}}]}
                        """.formatted(FhirFixtures.bloodPressure(patient, 140, 90), observation))
                .post("/fhir")
                .then()
                .statusCode(200)
                .body("entry[0].response.status", containsString("403"))
                .body("entry[1].response.status", containsString("200"));
    }

    @Test
    void anObservationsOnlyTokenTouchesNothingElse() {
        String patient =
                FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Scope", "Lab"));
        String observation = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A_LAB, "Observation", FhirFixtures.bloodPressure(patient, 118, 76));
        as(TesseraEndpoints.gateway(), CLINIC_A_LAB)
                .get("/fhir/Observation/" + observation)
                .then()
                .statusCode(200);

        as(TesseraEndpoints.gateway(), CLINIC_A_LAB)
                .get("/fhir/Patient/" + patient)
                .then()
                .statusCode(403);
        as(TesseraEndpoints.patientService(), CLINIC_A_LAB)
                .get("/fhir/Patient/" + patient)
                .then()
                .statusCode(403);
        for (String base : BOTH_WAYS) {
            for (String path : List.of(
                    "/fhir/Condition?subject=Patient/" + patient,
                    "/fhir/Observation?_include=Observation:subject:Patient",
                    "/fhir/Observation?_include=Observation:subject",
                    "/fhir/Observation?_revinclude=Provenance:target",
                    "/fhir/Observation?subject:Patient.name=Scope",
                    "/fhir/Patient/" + patient + "/$everything",
                    "/fhir/$export")) {
                as(base, CLINIC_A_LAB)
                        .get(path)
                        .then()
                        .statusCode(403)
                        .body("resourceType", equalTo("OperationOutcome"));
            }
        }
        // a transaction with one entry out of scope fails whole, before anything is written
        String marker = "scope-marker-" + System.nanoTime();
        as(TesseraEndpoints.gateway(), CLINIC_A_LAB)
                .body("""
                        {"resourceType":"Bundle","type":"transaction","entry":[
                          {"resource":{"resourceType":"Observation","status":"final","code":{"text":"%s"},
                            "subject":{"reference":"Patient/%s"}},"request":{"method":"POST","url":"Observation"}},
                          {"resource":{"resourceType":"Condition","code":{"text":"%s"},"subject":{"reference":"Patient/%s"}},
                           "request":{"method":"POST","url":"Condition"}}]}
                        """.formatted(marker, patient, marker, patient))
                .post("/fhir")
                .then()
                .statusCode(403)
                .body("issue[0].diagnostics", containsString("Condition"));
        as(TesseraEndpoints.gateway(), CLINIC_A)
                .get("/fhir/Observation?code:text=" + marker)
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }
}
