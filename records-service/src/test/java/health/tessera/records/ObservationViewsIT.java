package health.tessera.records;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import health.tessera.testkit.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Observation/$lastn and the vitals trend ($trend) for dashboards. */
@QuarkusTest
class ObservationViewsIT {

    private static RequestSpecification as(KeycloakTokens.Client client) {
        return given().header("Authorization", bearer(client)).contentType("application/fhir+json; charset=UTF-8");
    }

    private static String bp(String patient, String when, int systolic, int diastolic) {
        return as(CLINIC_A)
                .body("""
                {"resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"subject":{"reference":"Patient/%s"},
                 "effectiveDateTime":"%s","component":[
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":%d,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":%d,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}
                """.formatted(patient, when, systolic, diastolic))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    private static String lab(String patient, String when, double value) {
        return as(CLINIC_A)
                .body("""
                {"resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"HbA1c"}]},"subject":{"reference":"Patient/%s"},
                 "effectiveDateTime":"%s","valueQuantity":{"value":%s,"system":"http://unitsofmeasure.org","code":"%%"}}
                """.formatted(patient, when, value))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    @Test
    void lastnKeepsTheLatestPerCodeAndTheTrendIsATimeSeries() {
        String patient = UUID.randomUUID().toString();
        String bpOld = bp(patient, "2026-09-01T09:00:00Z", 168, 101);
        String bpMid = bp(patient, "2026-10-01T09:00:00Z", 152, 96);
        String bpNew = bp(patient, "2026-11-01T09:00:00Z", 138, 88);
        String labOld = lab(patient, "2026-06-01", 8.1);
        String labNew = lab(patient, "2026-11-02", 7.2);

        List<String> lastTwo = as(CLINIC_A)
                .queryParam("patient", patient)
                .queryParam("max", 2)
                .get("/fhir/Observation/$lastn")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource.id");
        assertThat(lastTwo)
                .containsExactlyInAnyOrder(bpNew, bpMid, labNew, labOld)
                .doesNotContain(bpOld);

        List<String> latestVital = as(CLINIC_A)
                .queryParam("patient", patient)
                .queryParam("category", "vital-signs")
                .get("/fhir/Observation/$lastn")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource.id");
        assertThat(latestVital).containsExactly(bpNew);

        JsonPath trend = as(CLINIC_A)
                .queryParam("patient", patient)
                .queryParam("code", "http://loinc.org|8480-6,http://loinc.org|8462-4")
                .get("/fhir/Observation/$trend")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(trend.getList("series.code")).containsExactly("http://loinc.org|8480-6", "http://loinc.org|8462-4");
        assertThat(trend.getList("series[0].points.value", Float.class)).containsExactly(168f, 152f, 138f);
        assertThat(trend.getList("series[1].points.value", Float.class)).containsExactly(101f, 96f, 88f);
        assertThat(trend.getString("series[0].unit")).isEqualTo("mm[Hg]");

        JsonPath recent = as(CLINIC_A)
                .queryParam("patient", patient)
                .queryParam("code", "http://loinc.org|8480-6")
                .queryParam("date", "ge2026-10-01")
                .get("/fhir/Observation/$trend")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(recent.getList("series[0].points.value", Float.class)).containsExactly(152f, 138f);

        as(CLINIC_B)
                .queryParam("patient", patient)
                .get("/fhir/Observation/$lastn")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        as(CLINIC_A).get("/fhir/Observation/$lastn").then().statusCode(400);
        as(CLINIC_A)
                .queryParam("patient", patient)
                .queryParam("max", 0)
                .get("/fhir/Observation/$lastn")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("patient", patient)
                .get("/fhir/Observation/$trend")
                .then()
                .statusCode(400);
        as(CLINIC_A).get("/fhir/Observation/$nonsense").then().statusCode(404);
    }
}
