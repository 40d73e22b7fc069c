package health.tessera.records;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Transaction and batch Bundles: urn:uuid and conditional references, all-or-nothing, per-entry outcomes. */
@QuarkusTest
class BundleIT {

    private static RequestSpecification asClinicA() {
        return given().header("Authorization", bearer(CLINIC_A)).contentType("application/fhir+json; charset=UTF-8");
    }

    private static String transaction(String organizationIdentifier, String encounterReference, String patient) {
        return """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:11111111-1111-4111-8111-111111111111",
                  "resource":{"resourceType":"Organization","identifier":[{"system":"urn:test:org","value":"%s"}],"name":"Clinic"},
                  "request":{"method":"POST","url":"Organization","ifNoneExist":"identifier=urn:test:org|%s"}},
                 {"fullUrl":"urn:uuid:22222222-2222-4222-8222-222222222222",
                  "resource":{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},
                   "subject":{"reference":"Patient/%s"},"serviceProvider":{"reference":"urn:uuid:11111111-1111-4111-8111-111111111111"}},
                  "request":{"method":"POST","url":"Encounter"}},
                 {"fullUrl":"urn:uuid:33333333-3333-4333-8333-333333333333",
                  "resource":{"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                   "subject":{"reference":"Patient/%s"},"encounter":{"reference":"%s"}},
                  "request":{"method":"POST","url":"Observation"}}]}
                """.formatted(organizationIdentifier, organizationIdentifier, patient, patient, encounterReference);
    }

    @Test
    void aTransactionResolvesItsReferencesAndCommitsEverything() {
        String identifier = UUID.randomUUID().toString();
        String patient = UUID.randomUUID().toString();
        JsonPath response = asClinicA()
                .body(transaction(identifier, "urn:uuid:22222222-2222-4222-8222-222222222222", patient))
                .post("/fhir")
                .then()
                .statusCode(200)
                .body("type", equalTo("transaction-response"))
                .extract()
                .jsonPath();
        assertThat(response.getList("entry.response.status"))
                .containsExactly("201 Created", "201 Created", "201 Created");
        String organization = response.getString("entry[0].response.location").split("/_history")[0];
        String encounter = response.getString("entry[1].response.location").split("/_history")[0];
        String observation = response.getString("entry[2].response.location").split("/_history")[0];

        asClinicA()
                .get("/fhir/" + encounter)
                .then()
                .statusCode(200)
                .body("serviceProvider.reference", equalTo(organization));
        asClinicA().get("/fhir/" + observation).then().statusCode(200).body("encounter.reference", equalTo(encounter));

        // The same organisation again: ifNoneExist finds it, and a conditional reference resolves to it.
        String second = transaction(identifier, "urn:uuid:22222222-2222-4222-8222-222222222222", patient)
                .replace(
                        "\"reference\":\"urn:uuid:11111111-1111-4111-8111-111111111111\"",
                        "\"reference\":\"Organization?identifier=urn:test:org|" + identifier + "\"");
        JsonPath again = asClinicA()
                .body(second)
                .post("/fhir")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(again.getString("entry[0].response.status")).isEqualTo("200 OK");
        assertThat(again.getString("entry[0].response.location")).isEqualTo(organization);
        String encounter2 = again.getString("entry[1].response.location").split("/_history")[0];
        asClinicA().get("/fhir/" + encounter2).then().body("serviceProvider.reference", equalTo(organization));
    }

    @Test
    void aTransactionWithOneBadEntryWritesNothing() {
        String patient = UUID.randomUUID().toString();
        String dangling =
                transaction(UUID.randomUUID().toString(), "urn:uuid:99999999-9999-4999-8999-999999999999", patient);
        asClinicA()
                .body(dangling)
                .post("/fhir")
                .then()
                .statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"));
        String invalid = transaction(
                        UUID.randomUUID().toString(), "urn:uuid:22222222-2222-4222-8222-222222222222", patient)
                .replace("\"status\":\"final\",", "");
        asClinicA().body(invalid).post("/fhir").then().statusCode(422);
        asClinicA()
                .queryParam("subject", patient)
                .get("/fhir/Encounter")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void aBatchReportsEachEntry() {
        String patient = UUID.randomUUID().toString();
        JsonPath response = asClinicA()
                .body("""
                {"resourceType":"Bundle","type":"batch","entry":[
                 {"resource":{"resourceType":"Observation","status":"final","code":{"text":"ok"},"subject":{"reference":"Patient/%s"}},
                  "request":{"method":"POST","url":"Observation"}},
                 {"resource":{"resourceType":"Observation","code":{"text":"no status"}},
                  "request":{"method":"POST","url":"Observation"}},
                 {"request":{"method":"GET","url":"Observation/%s"}}]}
                """.formatted(patient, UUID.randomUUID()))
                .post("/fhir")
                .then()
                .statusCode(200)
                .body("type", equalTo("batch-response"))
                .extract()
                .jsonPath();
        assertThat(response.getList("entry.response.status")).containsExactly("201 Created", "422 ", "404 Not Found");
        asClinicA()
                .body("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}")
                .post("/fhir")
                .then()
                .statusCode(400);
    }
}
