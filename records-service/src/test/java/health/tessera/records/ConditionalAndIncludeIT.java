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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Conditional create and update, and _include/_revinclude (with :iterate) within the caller's organisation. */
@QuarkusTest
class ConditionalAndIncludeIT {

    private static RequestSpecification as(KeycloakTokens.Client client) {
        return given().header("Authorization", bearer(client)).contentType("application/fhir+json; charset=UTF-8");
    }

    private static String condition(String identifier, String status) {
        return """
                {"resourceType":"Condition","identifier":[{"system":"urn:test:conditions","value":"%s"}],
                 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"%s"}]},
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]},
                 "subject":{"reference":"Patient/p-cond"}}
                """.formatted(identifier, status);
    }

    @Test
    void ifNoneExistCreatesOnceThenAnswersWithTheMatch() {
        String identifier = UUID.randomUUID().toString();
        String criteria = "identifier=urn:test:conditions|" + identifier;
        String created = as(CLINIC_A)
                .header("If-None-Exist", criteria)
                .body(condition(identifier, "active"))
                .post("/fhir/Condition")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        as(CLINIC_A)
                .header("If-None-Exist", criteria)
                .body(condition(identifier, "active"))
                .post("/fhir/Condition")
                .then()
                .statusCode(200)
                .body("id", equalTo(created));
        // Another organisation's record does not count as a match: it gets its own.
        String theirs = as(CLINIC_B)
                .header("If-None-Exist", criteria)
                .body(condition(identifier, "active"))
                .post("/fhir/Condition")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        assertThat(theirs).isNotEqualTo(created);
        as(CLINIC_A)
                .body(condition(identifier, "active"))
                .post("/fhir/Condition")
                .then()
                .statusCode(201);
        as(CLINIC_A)
                .header("If-None-Exist", criteria)
                .body(condition(identifier, "active"))
                .post("/fhir/Condition")
                .then()
                .statusCode(412);
        as(CLINIC_A)
                .header("If-None-Exist", "colour=red")
                .body(condition(identifier, "active"))
                .post("/fhir/Condition")
                .then()
                .statusCode(400);
    }

    @Test
    void conditionalUpdateCreatesThenUpdatesTheOneMatch() {
        String identifier = UUID.randomUUID().toString();
        String id = as(CLINIC_A)
                .body(condition(identifier, "active"))
                .put("/fhir/Condition?identifier=urn:test:conditions|" + identifier)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        as(CLINIC_A)
                .body(condition(identifier, "resolved"))
                .put("/fhir/Condition?identifier=urn:test:conditions|" + identifier)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("meta.versionId", equalTo("2"));
        as(CLINIC_A).get("/fhir/Condition/" + id).then().body("clinicalStatus.coding[0].code", equalTo("resolved"));
        as(CLINIC_A)
                .body(condition(identifier, "active"))
                .post("/fhir/Condition")
                .then()
                .statusCode(201);
        as(CLINIC_A)
                .body(condition(identifier, "inactive"))
                .put("/fhir/Condition?identifier=urn:test:conditions|" + identifier)
                .then()
                .statusCode(412);
    }

    @Test
    void includeRevincludeAndIterate() {
        String practitioner = as(CLINIC_A)
                .body("{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Iterate\"}]}")
                .post("/fhir/Practitioner")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        String encounter = as(CLINIC_A)
                .body("""
                {"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Patient/p-inc"},
                 "participant":[{"individual":{"reference":"Practitioner/%s"}}]}
                """.formatted(practitioner))
                .post("/fhir/Encounter")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        String observation = as(CLINIC_A)
                .body("""
                {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
                 "subject":{"reference":"Patient/p-inc"},"encounter":{"reference":"Encounter/%s"},
                 "valueQuantity":{"value":72,"system":"http://unitsofmeasure.org","code":"/min"}}
                """.formatted(encounter))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        // org-b's observation of the same encounter id must never be revincluded for org-a.
        as(CLINIC_B)
                .body("""
                {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
                 "encounter":{"reference":"Encounter/%s"}}
                """.formatted(encounter))
                .post("/fhir/Observation")
                .then()
                .statusCode(201);

        JsonPath included = as(CLINIC_A)
                .queryParam("_id", observation)
                .queryParam("_include", "Observation:encounter")
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(included.getList("entry.search.mode")).containsExactly("match", "include");
        assertThat(included.getString("entry[1].resource.id")).isEqualTo(encounter);

        JsonPath iterated = as(CLINIC_A)
                .queryParam("_id", observation)
                .queryParam("_include", "Observation:encounter")
                .queryParam("_include:iterate", "Encounter:participant")
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(iterated.getList("entry.resource.resourceType"))
                .containsExactly("Observation", "Encounter", "Practitioner");

        JsonPath revincluded = as(CLINIC_A)
                .queryParam("_id", encounter)
                .queryParam("_revinclude", "Observation:encounter")
                .get("/fhir/Encounter")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(revincluded.getList("entry.resource.id")).containsExactly(encounter, observation);

        as(CLINIC_A)
                .queryParam("_include", "Observation:colour")
                .get("/fhir/Observation")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("_include", "nonsense")
                .get("/fhir/Observation")
                .then()
                .statusCode(400);
    }
}
