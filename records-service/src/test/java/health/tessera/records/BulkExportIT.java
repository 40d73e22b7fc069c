package health.tessera.records;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import health.tessera.testkit.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Bulk Data $export: kick-off, polling, the manifest, ndjson files, organisation isolation and cancel. */
@QuarkusTest
class BulkExportIT {

    private static RequestSpecification as(KeycloakTokens.Client client) {
        return given().header("Authorization", bearer(client)).contentType("application/fhir+json; charset=UTF-8");
    }

    private static String relative(String url) {
        return url.replaceFirst("^https?://[^/]+", "");
    }

    private static JsonPath awaitManifest(String status) {
        Awaitility.await("export completes")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> as(CLINIC_A).get(status).statusCode() == 200);
        return as(CLINIC_A).get(status).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void systemAndPatientLevelExportsWithinTheOrganisation() {
        String marker = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            as(CLINIC_A)
                    .body("""
                    {"resourceType":"Observation","status":"final","code":{"text":"%s"},"subject":{"reference":"Patient/p-export"}}
                    """.formatted(marker))
                    .post("/fhir/Observation")
                    .then()
                    .statusCode(201);
        }
        as(CLINIC_A)
                .body("{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"" + marker + "\"}]}")
                .post("/fhir/Practitioner")
                .then()
                .statusCode(201);
        as(CLINIC_B)
                .body("""
                {"resourceType":"Observation","status":"final","code":{"text":"%s-org-b"},"subject":{"reference":"Patient/p-export"}}
                """.formatted(marker))
                .post("/fhir/Observation")
                .then()
                .statusCode(201);

        as(CLINIC_A).get("/fhir/$export").then().statusCode(400);
        as(CLINIC_A)
                .header("Prefer", "respond-async")
                .queryParam("_type", "Spaceship")
                .get("/fhir/$export")
                .then()
                .statusCode(400);

        String status = relative(as(CLINIC_A)
                .header("Prefer", "respond-async")
                .queryParam("_type", "Observation,Practitioner")
                .get("/fhir/$export")
                .then()
                .statusCode(202)
                .extract()
                .header("Content-Location"));
        as(CLINIC_B).get(status).then().statusCode(404);

        JsonPath manifest = awaitManifest(status);
        assertThat(manifest.getBoolean("requiresAccessToken")).isTrue();
        List<Map<String, Object>> output = manifest.getList("output");
        assertThat(output).extracting(o -> o.get("type")).containsExactly("Observation", "Practitioner");
        String observations = as(CLINIC_A)
                .get(relative((String) output.get(0).get("url")))
                .then()
                .statusCode(200)
                .contentType("application/fhir+ndjson")
                .extract()
                .asString();
        List<String> lines = Arrays.stream(observations.split("\n"))
                .filter(l -> l.contains(marker))
                .toList();
        assertThat(lines).hasSize(3).allMatch(l -> l.startsWith("{\"resourceType\":\"Observation\""));
        assertThat(observations).doesNotContain(marker + "-org-b");
        as(CLINIC_B).get(relative((String) output.get(0).get("url"))).then().statusCode(404);

        String patientStatus = relative(as(CLINIC_A)
                .header("Prefer", "respond-async")
                .queryParam("_type", "Observation,Practitioner")
                .get("/fhir/Patient/$export")
                .then()
                .statusCode(202)
                .extract()
                .header("Content-Location"));
        JsonPath patientManifest = awaitManifest(patientStatus);
        List<Object> patientTypes = patientManifest.getList("output.type");
        assertThat(patientTypes).contains("Observation").doesNotContain("Practitioner");

        as(CLINIC_A).delete(status).then().statusCode(202);
        as(CLINIC_A).get(status).then().statusCode(404);
    }

    @Test
    void groupLevelExportHoldsOnlyTheMembersRecords() {
        String member = UUID.randomUUID().toString();
        String outsider = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        for (String patient : List.of(member, outsider)) {
            as(CLINIC_A)
                    .body("""
                    {"resourceType":"Observation","status":"final","code":{"text":"%s"},"subject":{"reference":"Patient/%s"}}
                    """.formatted(marker, patient))
                    .post("/fhir/Observation")
                    .then()
                    .statusCode(201);
        }
        String group = as(CLINIC_A)
                .body("""
                {"resourceType":"Group","type":"person","actual":true,"member":[{"entity":{"reference":"Patient/%s"}}]}
                """.formatted(member))
                .post("/fhir/Group")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");

        as(CLINIC_B)
                .header("Prefer", "respond-async")
                .get("/fhir/Group/" + group + "/$export")
                .then()
                .statusCode(404);
        String status = relative(as(CLINIC_A)
                .header("Prefer", "respond-async")
                .queryParam("_type", "Observation")
                .get("/fhir/Group/" + group + "/$export")
                .then()
                .statusCode(202)
                .extract()
                .header("Content-Location"));
        JsonPath manifest = awaitManifest(status);
        String observations = as(CLINIC_A)
                .get(relative(manifest.getString("output[0].url")))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(observations).contains(member).doesNotContain(outsider);
        assertThat(manifest.getInt("output[0].count")).isEqualTo(1);
    }
}
