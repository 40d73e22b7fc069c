package health.tessera.records;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import health.tessera.testkit.FhirFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Versions of a record: update with optimistic locking, soft delete, vread and history. */
@QuarkusTest
class RecordVersioningIT {

    @Inject
    AgroalDataSource dataSource;

    private static RequestSpecification as(health.tessera.testkit.KeycloakTokens.Client client) {
        return given().header("Authorization", bearer(client)).contentType("application/fhir+json");
    }

    private static String withId(String json, String id) {
        return json.replaceFirst(
                "\\{\"resourceType\":\"Observation\",", "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",");
    }

    @Test
    void updateDeleteVreadAndHistoryKeepEveryVersion() throws Exception {
        String id = as(CLINIC_A)
                .body(FhirFixtures.bloodPressure("p-7", 150, 95))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");

        as(CLINIC_A)
                .header("If-Match", "W/\"1\"")
                .body(withId(FhirFixtures.bloodPressure("p-7", 142, 90), id))
                .put("/fhir/Observation/" + id)
                .then()
                .statusCode(200)
                .header("ETag", equalTo("W/\"2\""))
                .body("meta.versionId", equalTo("2"));

        // A client still holding version 1 loses: 412, nothing written.
        as(CLINIC_A)
                .header("If-Match", "W/\"1\"")
                .body(withId(FhirFixtures.bloodPressure("p-7", 200, 130), id))
                .put("/fhir/Observation/" + id)
                .then()
                .statusCode(412)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("conflict"));

        as(CLINIC_A)
                .get("/fhir/Observation/" + id + "/_history/1")
                .then()
                .statusCode(200)
                .body("component[0].valueQuantity.value", equalTo(150))
                .body("meta.versionId", equalTo("1"));

        as(CLINIC_A).delete("/fhir/Observation/" + id).then().statusCode(204);
        as(CLINIC_A).delete("/fhir/Observation/" + id).then().statusCode(204);
        as(CLINIC_A).get("/fhir/Observation/" + id).then().statusCode(410).body("issue[0].code", equalTo("deleted"));
        as(CLINIC_A).get("/fhir/Observation/" + id + "/_history/3").then().statusCode(410);
        as(CLINIC_A)
                .get("/fhir/Observation/" + id + "/_history/2")
                .then()
                .statusCode(200)
                .body("component[0].valueQuantity.value", equalTo(142));
        as(CLINIC_A).get("/fhir/Observation/" + id + "/_history/9").then().statusCode(404);

        as(CLINIC_A)
                .get("/fhir/Observation/" + id + "/_history")
                .then()
                .statusCode(200)
                .body("type", equalTo("history"))
                .body("entry.size()", equalTo(3))
                .body("entry[0].request.method", equalTo("DELETE"))
                .body("entry[0].resource", nullValue())
                .body("entry[1].request.method", equalTo("PUT"))
                .body("entry[1].response.etag", equalTo("W/\"2\""))
                .body("entry[2].request.method", equalTo("POST"))
                .body("entry[2].resource.meta.versionId", equalTo("1"));

        // Updating a deleted record brings it back as a new version.
        as(CLINIC_A)
                .body(withId(FhirFixtures.bloodPressure("p-7", 130, 85), id))
                .put("/fhir/Observation/" + id)
                .then()
                .statusCode(200)
                .body("meta.versionId", equalTo("4"));

        assertThat(events(id)).containsExactly("create:1", "update:2", "delete:3", "update:4");

        // The type's history holds every version of it, the current one (kept apart from the replaced ones)
        // included, newest first.
        as(CLINIC_A)
                .get("/fhir/Observation/_history?_count=500")
                .then()
                .statusCode(200)
                .body(
                        "entry.findAll { it.fullUrl.endsWith('" + id + "') }.response.etag",
                        contains("W/\"4\"", "W/\"3\"", "W/\"2\"", "W/\"1\""));
        as(CLINIC_A)
                .get("/fhir/Observation/" + id + "/_history/4")
                .then()
                .statusCode(200)
                .body("meta.versionId", equalTo("4"));
    }

    @Test
    void anotherOrganisationCanNeitherSeeNorChangeTheRecord() {
        String id = as(CLINIC_A)
                .body(FhirFixtures.bloodPressure("p-8", 120, 80))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        as(CLINIC_B)
                .body(withId(FhirFixtures.bloodPressure("p-8", 190, 125), id))
                .put("/fhir/Observation/" + id)
                .then()
                .statusCode(404);
        as(CLINIC_B).delete("/fhir/Observation/" + id).then().statusCode(404);
        as(CLINIC_B).get("/fhir/Observation/" + id + "/_history").then().statusCode(404);
        as(CLINIC_B).get("/fhir/Observation/" + id + "/_history/1").then().statusCode(404);
        as(CLINIC_B)
                .get("/fhir/Observation/_history")
                .then()
                .statusCode(200)
                .body("entry.findAll { it.resource.id == '" + id + "' }.size()", equalTo(0));
        as(CLINIC_A).get("/fhir/Observation/" + id).then().statusCode(200).body("meta.versionId", equalTo("1"));
    }

    @Test
    void updateCanCreateWithTheClientsIdAndRejectsMismatchedIds() {
        String id = UUID.randomUUID().toString();
        as(CLINIC_A)
                .body(withId(FhirFixtures.bloodPressure("p-9", 118, 76), id))
                .put("/fhir/Observation/" + id)
                .then()
                .statusCode(201)
                .body("id", equalTo(id))
                .body("meta.versionId", equalTo("1"));
        as(CLINIC_A)
                .body(withId(
                        FhirFixtures.bloodPressure("p-9", 118, 76),
                        UUID.randomUUID().toString()))
                .put("/fhir/Observation/" + id)
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .body(FhirFixtures.bloodPressure("p-9", 118, 76))
                .put("/fhir/Observation/" + id)
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .body(withId(FhirFixtures.bloodPressure("p-9", 118, 76), "not-a-uuid"))
                .put("/fhir/Observation/not-a-uuid")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .header("If-Match", "W/\"1\"")
                .body(withId(
                        FhirFixtures.bloodPressure("p-9", 1, 1),
                        UUID.randomUUID().toString()))
                .put("/fhir/Observation/" + UUID.randomUUID())
                .then()
                .statusCode(400);
        String fresh = UUID.randomUUID().toString();
        as(CLINIC_A)
                .header("If-Match", "W/\"1\"")
                .body(withId(FhirFixtures.bloodPressure("p-9", 1, 1), fresh))
                .put("/fhir/Observation/" + fresh)
                .then()
                .statusCode(412);
        as(CLINIC_A)
                .header("If-Match", "banana")
                .body(withId(FhirFixtures.bloodPressure("p-9", 1, 1), id))
                .put("/fhir/Observation/" + id)
                .then()
                .statusCode(400);
    }

    @Test
    void historyParametersAreChecked() {
        as(CLINIC_A)
                .queryParam("_since", "yesterday")
                .get("/fhir/Observation/_history")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("_count", "100000")
                .get("/fhir/Observation/_history")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("colour", "red")
                .get("/fhir/Observation/_history")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("_since", "2999-01-01T00:00:00Z")
                .get("/fhir/Observation/_history")
                .then()
                .statusCode(200)
                .body("entry", nullValue());
    }

    /** The record's committed events, in outbox order, as operation:version. */
    private List<String> events(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT envelope::jsonb -> 'data' ->> 'operation', envelope::jsonb -> 'data' ->> 'version'"
                                + " FROM outbox_event WHERE envelope::jsonb ->> 'subject' = ? ORDER BY seq")) {
            select.setString(1, "Observation/" + id);
            try (ResultSet rs = select.executeQuery()) {
                List<String> events = new ArrayList<>();
                while (rs.next()) {
                    events.add(rs.getString(1) + ":" + rs.getString(2));
                }
                return events;
            }
        }
    }
}
