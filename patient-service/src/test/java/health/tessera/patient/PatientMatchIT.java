package health.tessera.patient;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import health.tessera.testkit.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Patient/$match: the caller's likely matches, graded and explained; never another organisation's patients. */
@QuarkusTest
class PatientMatchIT {

    private static String register(KeycloakTokens.Client client, String given, String birthDate, String phone) {
        return given().header("Authorization", bearer(client))
                .contentType("application/fhir+json")
                .body("""
                        {"resourceType":"Patient","name":[{"use":"official","family":"Whitfield-Oyelaran","given":["%s","Anne"]}],
                         "gender":"female","birthDate":"%s","telecom":[{"system":"phone","value":"%s"}],
                         "address":[{"line":["14 Larkspur Lane"],"city":"Dayton","postalCode":"45402","state":"OH"}]}
                        """.formatted(given, birthDate, phone))
                .post("/fhir/Patient")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    private static String parameters(String probe, String extra) {
        return """
                {"resourceType":"Parameters","parameter":[{"name":"resource","resource":%s}%s]}
                """.formatted(probe, extra);
    }

    private static final String PROBE = """
            {"resourceType":"Patient","name":[{"family":"Whitfield-Oyelaran","given":["Kate"]}],"gender":"female",
             "birthDate":"1984-12-03","telecom":[{"system":"phone","value":"(937) 555-0142"}]}""";

    @Test
    void likelyMatchesComeFirstGradedAndExplainedWithinTheOrganisation() {
        String katherine = register(CLINIC_A, "Katherine", "1984-03-12", "937-555-0142");
        String sister = register(CLINIC_A, "Margaret", "1979-07-30", "937-555-0199");
        String elsewhere = register(CLINIC_B, "Katherine", "1984-03-12", "937-555-0142");

        JsonPath result = given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(parameters(PROBE, ""))
                .post("/fhir/Patient/$match")
                .then()
                .statusCode(200)
                .body("type", equalTo("searchset"))
                .extract()
                .jsonPath();
        List<String> ids = result.getList("entry.resource.id");
        assertThat(ids).isNotEmpty().doesNotContain(elsewhere, sister);
        assertThat(ids.get(0)).isEqualTo(katherine);
        assertThat(result.getDouble("entry[0].search.score")).isGreaterThan(0.5);
        assertThat(result.getString("entry[0].search.extension.find { it.url.endsWith('match-grade') }.valueCode"))
                .isIn("certain", "probable");
        assertThat(result.getString(
                        "entry[0].search.extension.find { it.url.endsWith('match-explanation') }.valueString"))
                .containsIgnoringCase("birth");

        // Organisation B's $match sees its own registration only.
        List<String> seenByB = given().header("Authorization", bearer(CLINIC_B))
                .contentType("application/fhir+json")
                .body(parameters(PROBE, ""))
                .post("/fhir/Patient/$match")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource.id");
        assertThat(seenByB).containsOnly(elsewhere);

        List<String> certain = given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(parameters(PROBE, ",{\"name\":\"onlyCertainMatches\",\"valueBoolean\":true}"))
                .post("/fhir/Patient/$match")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource.id");
        assertThat(certain).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void malformedRequestsAre400WithAnOperationOutcome() {
        for (String body : List.of(
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"count\",\"valueInteger\":3}]}",
                parameters(PROBE, ",{\"name\":\"count\",\"valueInteger\":0}"),
                PROBE)) {
            given().header("Authorization", bearer(CLINIC_A))
                    .contentType("application/fhir+json")
                    .body(body)
                    .post("/fhir/Patient/$match")
                    .then()
                    .statusCode(400)
                    .body("resourceType", equalTo("OperationOutcome"));
        }
        given().contentType("application/fhir+json")
                .body(parameters(PROBE, ""))
                .post("/fhir/Patient/$match")
                .then()
                .statusCode(401);
    }
}
