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
                  "resource":{"resourceType":"Observation","id":"client-chosen","status":"final","code":{"text":"pulse"},
                   "meta":{"versionId":"9","tag":[{"system":"urn:test","code":"kept"}]},
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
        // stored as sent, with the server's id and meta (the client's id and versionId go, its tags stay)
        asClinicA()
                .get("/fhir/" + observation)
                .then()
                .statusCode(200)
                .header("ETag", "W/\"1\"")
                .body("encounter.reference", equalTo(encounter))
                .body("id", equalTo(observation.split("/")[1]))
                .body("meta.versionId", equalTo("1"))
                .body("meta.tag[0].code", equalTo("kept"));
        String lastUpdated =
                asClinicA().get("/fhir/" + observation).then().extract().path("meta.lastUpdated");
        assertThat(java.time.OffsetDateTime.parse(lastUpdated).toInstant())
                .isEqualTo(java.time.OffsetDateTime.parse(response.getString("entry[2].response.lastModified"))
                        .toInstant());

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
        assertThat(response.getList("entry.response.status"))
                .containsExactly("201 Created", "422 Unprocessable Entity", "404 Not Found");
        asClinicA()
                .body("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}")
                .post("/fhir")
                .then()
                .statusCode(400);
    }

    /** A transaction of {@code count} Observations of one patient, all pointing at an Encounter defined last. */
    private static String observations(int count, String patient, boolean lastDangling) {
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < count; i++) {
            String encounter = lastDangling && i == count - 1
                    ? "urn:uuid:99999999-9999-4999-8999-999999999999"
                    : "urn:uuid:44444444-4444-4444-8444-444444444444";
            bundle.append("""
                    {"resource":{"resourceType":"Observation","status":"final","code":{"text":"reading %d"},
                     "subject":{"reference":"Patient/%s"},"encounter":{"reference":"%s"}},
                     "request":{"method":"POST","url":"Observation"}},
                    """.formatted(i, patient, encounter));
        }
        bundle.append("""
                {"fullUrl":"urn:uuid:44444444-4444-4444-8444-444444444444",
                 "resource":{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Patient/%s"}},
                 "request":{"method":"POST","url":"Encounter"}}]}
                """.formatted(patient));
        return bundle.toString();
    }

    @Test
    void aLargeTransactionIsWrittenInChunksAndStaysAllOrNothing() {
        String patient = UUID.randomUUID().toString();
        int count = 1_201; // more than two write chunks
        JsonPath response = asClinicA()
                .header("X-Tessera-Validation", "skip")
                .body(observations(count, patient, false))
                .post("/fhir")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(response.getList("entry.response.status")).hasSize(count + 1).containsOnly("201 Created");
        String encounter =
                response.getString("entry[" + count + "].response.location").split("/_history")[0];
        asClinicA()
                .queryParam("subject", patient)
                .queryParam("encounter", encounter)
                .queryParam("_summary", "count")
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(count));

        // The last entry points nowhere: the error names it, and none of the 1,200 good ones before it are kept.
        String other = UUID.randomUUID().toString();
        asClinicA()
                .header("X-Tessera-Validation", "skip")
                .body(observations(count, other, true))
                .post("/fhir")
                .then()
                .statusCode(422)
                .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("entry " + (count - 1)));
        asClinicA()
                .queryParam("subject", other)
                .queryParam("_summary", "count")
                .get("/fhir/Observation")
                .then()
                .body("total", equalTo(0));

        // An entry that does not parse, in the third chunk (after the first two were written): a
        // 400 naming it, and nothing kept.
        String third = UUID.randomUUID().toString();
        asClinicA()
                .header("X-Tessera-Validation", "skip")
                .body(observations(count, third, false)
                        .replace(
                                "\"code\":{\"text\":\"reading 1100\"}",
                                "\"code\":{\"text\":\"reading 1100\"},\"colour\":\"red\""))
                .post("/fhir")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("entry 1100"));
        asClinicA()
                .queryParam("subject", third)
                .queryParam("_summary", "count")
                .get("/fhir/Observation")
                .then()
                .body("total", equalTo(0));
    }

    @Test
    void anXmlTransactionIsProcessedLikeJson() {
        String patient = UUID.randomUUID().toString();
        String xml = """
                <Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/>
                 <entry><fullUrl value="urn:uuid:55555555-5555-4555-8555-555555555555"/>
                  <resource><Encounter><status value="finished"/><class><code value="AMB"/></class>
                   <subject><reference value="Patient/%s"/></subject></Encounter></resource>
                  <request><method value="POST"/><url value="Encounter"/></request></entry>
                 <entry><resource><Observation><status value="final"/><code><text value="xml"/></code>
                   <subject><reference value="Patient/%s"/></subject>
                   <encounter><reference value="urn:uuid:55555555-5555-4555-8555-555555555555"/></encounter></Observation></resource>
                  <request><method value="POST"/><url value="Observation"/></request></entry>
                </Bundle>
                """.formatted(patient, patient);
        String body = given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+xml")
                .accept("application/fhir+xml")
                .body(xml)
                .post("/fhir")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(body).contains("transaction-response").contains("201 Created");
        asClinicA()
                .queryParam("subject", patient)
                .get("/fhir/Observation")
                .then()
                .body("total", equalTo(1))
                .body("entry[0].resource.encounter.reference", org.hamcrest.Matchers.startsWith("Encounter/"));
    }

    @Test
    void malformedAndOversizedBundlesAreRefusedWithAnOperationOutcome() {
        asClinicA()
                .body("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":")
                .post("/fhir")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        asClinicA()
                .body("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"surprise\":1}]}")
                .post("/fhir")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("surprise"));
        asClinicA().body("{\"resourceType\":\"Patient\"}").post("/fhir").then().statusCode(400);
        // One entry over the limit (tessera.limits.max-bundle-entries, 100,000 by default): 413, nothing runs.
        StringBuilder huge = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i <= 100_000; i++) {
            huge.append(i == 0 ? "" : ",").append("{\"request\":{\"method\":\"GET\",\"url\":\"Observation/x\"}}");
        }
        asClinicA()
                .body(huge.append("]}").toString())
                .post("/fhir")
                .then()
                .statusCode(413)
                .body("issue[0].code", equalTo("too-costly"));
    }
}
