package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_A_LAB;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.TesseraEndpoints;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Patient?_has:…} through the gateway: patient-service owns patients, records-service holds the records
 * that point at them, and the gateway sends such searches there. Only the caller's own patients are found.
 */
class PatientReverseSearchIT {

    /** A family name no other test uses, so the searches see only this test's patients. */
    private final String family = "Rev" + UUID.randomUUID().toString().substring(0, 8);

    private String withHighPressure1;
    private String withHighPressure2;
    private String withHighPressure3;
    private String withCondition;
    private String condition;

    private static RequestSpecification as(KeycloakTokens.Client client) {
        return given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", KeycloakTokens.bearer(client))
                .accept("application/fhir+json");
    }

    private String patient(String given) {
        return FhirCalls.create(
                TesseraEndpoints.gateway(),
                CLINIC_A,
                "Patient",
                FhirFixtures.person(
                        given,
                        family,
                        FhirFixtures.randomBirthDate(),
                        "216-555-" + (1000 + given.length() * 731 % 9000),
                        given.length() + " Quarry Lane"));
    }

    @BeforeEach
    void fourPatientsOfClinicA() {
        withHighPressure1 = patient("Ansel");
        withHighPressure2 = patient("Berenike");
        withHighPressure3 = patient("Cosimo");
        withCondition = patient("Dagny");
        for (String id : List.of(withHighPressure1, withHighPressure2, withHighPressure3)) {
            FhirCalls.create(
                    TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(id, 162, 99));
        }
        condition = FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, "Condition", """
                {"resourceType": "Condition", "subject": {"reference": "Patient/%s"},
                 "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]}}""".formatted(withCondition));
        // records-service learns of patients from patient-service's events
        Awaitility.await("records-service knows the four patients")
                .atMost(Duration.ofSeconds(30))
                .until(() -> found(CLINIC_A, "_has:Condition:subject:code=38341003&family=" + family)
                                .size()
                        == 1);
    }

    private static List<String> found(KeycloakTokens.Client client, String query) {
        return FhirCalls.foundIds(as(client), "/fhir/Patient?" + query);
    }

    @Test
    void findsThePatientsThatRecordsPointAtCombinedWithPatientParameters() {
        assertThat(found(CLINIC_A, "_has:Observation:subject:code=http://loinc.org|85354-9&family=" + family))
                .containsExactlyInAnyOrder(withHighPressure1, withHighPressure2, withHighPressure3);
        assertThat(found(
                        CLINIC_A,
                        "_has:Observation:patient:component-value-quantity=gt160&given=Berenike&family=" + family))
                .containsExactly(withHighPressure2);
        assertThat(found(CLINIC_A, "_has:Condition:subject:code=38341003&family=" + family))
                .containsExactly(withCondition);
        // two _has conditions together: both must hold
        assertThat(found(
                        CLINIC_A,
                        "_has:Condition:subject:code=38341003&_has:Observation:subject:code=85354-9&family=" + family))
                .isEmpty();
        JsonPath entry = as(CLINIC_A)
                .get("/fhir/Patient?_has:Condition:subject:code=38341003&family=" + family)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(entry.getString("entry[0].fullUrl")).endsWith("/fhir/Patient/" + withCondition);
        assertThat(entry.getString("entry[0].resource.name[0].family")).isEqualTo(family);
    }

    @Test
    void pagesFollowTheLinks() {
        JsonPath first = as(CLINIC_A)
                .get("/fhir/Patient?_has:Observation:subject:code=85354-9&family=" + family + "&_count=2")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .extract()
                .jsonPath();
        List<String> ids = new java.util.ArrayList<>(first.getList("entry.resource.id"));
        assertThat(ids).hasSize(2);
        String next = first.getString("link.find { it.relation == 'next' }.url");
        assertThat(next).startsWith(TesseraEndpoints.gateway());
        JsonPath second = as(CLINIC_A)
                .urlEncodingEnabled(false)
                .get(next)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        ids.addAll(second.getList("entry.resource.id"));
        assertThat(ids).containsExactlyInAnyOrder(withHighPressure1, withHighPressure2, withHighPressure3);
        assertThat(second.getString("link.find { it.relation == 'previous' }.url"))
                .isNotNull();
        as(CLINIC_A)
                .get("/fhir/Patient?_has:Observation:subject:code=85354-9&family=" + family + "&_summary=count")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("entry", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void anotherOrganisationFindsNoneOfThem() {
        assertThat(found(CLINIC_B, "_has:Observation:subject:code=85354-9&family=" + family))
                .isEmpty();
        assertThat(found(CLINIC_B, "_has:Observation:subject:code=85354-9")).doesNotContain(withHighPressure1);
    }

    @Test
    void aDeletedPatientLeavesTheSearchesButItsRecordsStay() {
        as(CLINIC_A).delete("/fhir/Patient/" + withCondition).then().statusCode(204);
        Awaitility.await("records-service hears of the deletion")
                .atMost(Duration.ofSeconds(30))
                .until(() -> found(CLINIC_A, "_has:Condition:subject:code=38341003&family=" + family)
                        .isEmpty());
        as(CLINIC_A)
                .get("/fhir/Patient/" + withCondition + "/$everything")
                .then()
                .statusCode(410)
                .body("resourceType", equalTo("OperationOutcome"));
        assertThat(FhirCalls.foundIds(as(CLINIC_A), "/fhir/Condition?subject:Patient.family=" + family))
                .isEmpty();
        // the organisation's clinical records about the person are kept
        as(CLINIC_A).get("/fhir/Condition/" + condition).then().statusCode(200);
        assertThat(found(CLINIC_A, "_has:Observation:subject:code=85354-9&family=" + family))
                .hasSize(3);
    }

    @Test
    void badReverseSearchesAre400And403() {
        as(CLINIC_A)
                .get("/fhir/Patient?_has:Observation:subject=85354-9")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("_has"));
        as(CLINIC_A)
                .get("/fhir/Patient?_has:Observation:subject:code=85354-9&hair-colour=red")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", containsString("hair-colour"));
        as(CLINIC_A)
                .get("/fhir/Patient?_has:Spaceship:pilot:code=1")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        as(CLINIC_A)
                .get("/fhir/Patient?_has:Observation:subject:date=yesterday")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        // clinic-a-lab may use Observations only: finding patients needs Patient scope
        as(CLINIC_A_LAB)
                .get("/fhir/Patient?_has:Observation:subject:code=85354-9&family=" + family)
                .then()
                .statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
    }
}
