package health.tessera.records;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import health.tessera.records.domain.PatientProjection;
import health.tessera.testkit.KeycloakTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Patient/$everything: the patient, their compartment across merged identities, paging, _type and _since. */
@QuarkusTest
class PatientEverythingIT {

    @Inject
    PatientProjection projection;

    private static RequestSpecification as(KeycloakTokens.Client client) {
        return given().header("Authorization", bearer(client)).contentType("application/fhir+json; charset=UTF-8");
    }

    private static String create(KeycloakTokens.Client client, String type, String json) {
        return as(client)
                .body(json)
                .post("/fhir/" + type)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    private void registered(String patientId, String enterpriseId, String organization) {
        // what the consumer of tessera.patient.registered.v1 does
        QuarkusTransaction.requiringNew().run(() -> {
            projection.link(patientId, enterpriseId, 1);
            projection.upsert(
                    patientId,
                    enterpriseId,
                    organization,
                    1,
                    "{\"resourceType\":\"Patient\",\"id\":\"" + patientId
                            + "\",\"name\":[{\"family\":\"Everything\"}]}");
        });
    }

    @Test
    void everythingAddsWhatTheRecordsReferenceButNeverAnotherPatientsRecords() {
        String me = UUID.randomUUID().toString();
        String someoneElse = UUID.randomUUID().toString();
        registered(me, UUID.randomUUID().toString(), "org-a");
        String medication = create(CLINIC_A, "Medication", """
                {"resourceType":"Medication","code":{"text":"amoxicillin 500 mg"}}""");
        String prescription = create(CLINIC_A, "MedicationRequest", """
                {"resourceType":"MedicationRequest","status":"active","intent":"order",
                 "medicationReference":{"reference":"Medication/%s"},"subject":{"reference":"Patient/%s"}}""".formatted(medication, me));
        String theirs = create(CLINIC_A, "Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"theirs"},"subject":{"reference":"Patient/%s"}}""".formatted(someoneElse));
        String mine = create(CLINIC_A, "Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"mine"},"subject":{"reference":"Patient/%s"},
                 "derivedFrom":[{"reference":"Observation/%s"}]}""".formatted(me, theirs));

        List<String> ids = as(CLINIC_A)
                .get("/fhir/Patient/" + me + "/$everything")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource.id");
        assertThat(ids).containsExactlyInAnyOrder(me, medication, prescription, mine);
    }

    @Test
    void everythingFollowsTheEnterpriseIdentityAndStaysInTheOrganisation() {
        String enterprise = UUID.randomUUID().toString();
        String me = UUID.randomUUID().toString();
        String mergedTwin = UUID.randomUUID().toString();
        registered(me, enterprise, "org-a");
        registered(mergedTwin, enterprise, "org-a");

        List<String> mine = new ArrayList<>();
        mine.add(create(CLINIC_A, "Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"weight"},"subject":{"reference":"Patient/%s"}}""".formatted(me)));
        mine.add(create(CLINIC_A, "Encounter", """
                {"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Patient/%s"}}""".formatted(me)));
        mine.add(create(CLINIC_A, "Condition", """
                {"resourceType":"Condition","code":{"text":"asthma"},"subject":{"reference":"Patient/%s"}}""".formatted(mergedTwin)));
        mine.add(create(CLINIC_A, "Provenance", """
                {"resourceType":"Provenance","target":[{"reference":"Patient/%s"}],"recorded":"2026-11-20T10:00:00Z",
                 "agent":[{"who":{"display":"clinic"}}]}""".formatted(me)));
        create(
                CLINIC_A,
                "Practitioner",
                "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"NotInTheCompartment\"}]}");
        create(CLINIC_A, "Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"someone else"},"subject":{"reference":"Patient/%s"}}""".formatted(UUID.randomUUID()));
        create(CLINIC_B, "Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"org b"},"subject":{"reference":"Patient/%s"}}""".formatted(me));

        JsonPath all = as(CLINIC_A)
                .get("/fhir/Patient/" + me + "/$everything")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(all.getString("entry[0].resource.resourceType")).isEqualTo("Patient");
        assertThat(all.getInt("total")).isEqualTo(5);
        List<String> ids = all.getList("entry.resource.id");
        assertThat(ids.subList(1, ids.size())).containsExactlyInAnyOrderElementsOf(mine);

        assertThat(as(CLINIC_A)
                        .queryParam("_type", "Observation,Condition")
                        .get("/fhir/Patient/" + me + "/$everything")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("entry.resource.resourceType"))
                .containsExactlyInAnyOrder("Patient", "Observation", "Condition");
        assertThat(as(CLINIC_A)
                        .queryParam("_since", "2999-01-01T00:00:00Z")
                        .get("/fhir/Patient/" + me + "/$everything")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("entry.resource.resourceType"))
                .containsExactly("Patient");

        JsonPath first = as(CLINIC_A)
                .queryParam("_count", 2)
                .get("/fhir/Patient/" + me + "/$everything")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String next = first.getString("link.find { it.relation == 'next' }.url").replaceFirst("^https?://[^/]+", "");
        JsonPath second =
                as(CLINIC_A).get(next).then().statusCode(200).extract().jsonPath();
        assertThat(second.getString("link.find { it.relation == 'next' }")).isNull();
        List<String> paged = new ArrayList<>(first.getList("entry.resource.id"));
        paged.addAll(second.getList("entry.resource.id"));
        assertThat(paged).hasSize(5).containsAll(mine);

        as(CLINIC_B).get("/fhir/Patient/" + me + "/$everything").then().statusCode(404);
        as(CLINIC_B).get(next).then().statusCode(404);
        as(CLINIC_A)
                .get("/fhir/Patient/" + UUID.randomUUID() + "/$everything")
                .then()
                .statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"));
        as(CLINIC_A)
                .queryParam("_type", "Spaceship")
                .get("/fhir/Patient/" + me + "/$everything")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("colour", "red")
                .get("/fhir/Patient/" + me + "/$everything")
                .then()
                .statusCode(400);
    }
}
