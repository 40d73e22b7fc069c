package health.tessera.patient;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import health.tessera.testkit.FhirFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** patient-service on its test database, with real Keycloak tokens. */
@QuarkusTest
class PatientResourceIT {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void registeringAPatientStoresItAndItsEventTogether() throws Exception {
        String id = given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(FhirFixtures.patient("Haddad", "Omar"))
                .post("/fhir/Patient")
                .then()
                .statusCode(201)
                .body("meta.versionId", equalTo("1"))
                .extract()
                .jsonPath()
                .getString("id");

        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT p.organization, o.topic, o.event_key = p.enterprise_id::text FROM patient p"
                                + " JOIN outbox_event o ON o.envelope::jsonb ->> 'subject' = 'Patient/' || p.id WHERE p.id = ?::uuid")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).as("patient row and its outbox event").isTrue();
                assertThat(rs.getString(1)).isEqualTo("org-a");
                assertThat(rs.getString(2)).isEqualTo("tessera.patient.v1");
                assertThat(rs.getBoolean(3)).as("keyed by the enterprise id").isTrue();
                assertThat(rs.next()).as("exactly one event").isFalse();
            }
        }

        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + id)
                .then()
                .statusCode(200)
                .body("name[0].family", equalTo("Haddad"))
                .header("ETag", equalTo("W/\"1\""));
        given().header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Patient/" + id)
                .then()
                .statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"));
        given().get("/fhir/Patient/" + id).then().statusCode(401);
    }

    @Test
    void updatesKeepEveryVersionForVreadAndHistory() {
        String id = given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(FhirFixtures.patient("Lindgren", "Astrid"))
                .post("/fhir/Patient")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        String changed = FhirFixtures.patient("Lindgren", "Astrid")
                .replaceFirst(
                        "\\{\"resourceType\":\"Patient\",", "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",");
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .header("If-Match", "W/\"1\"")
                .body(changed)
                .put("/fhir/Patient/" + id)
                .then()
                .statusCode(200)
                .body("meta.versionId", equalTo("2"));
        // a stale version is refused; another organisation's record is not there
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .header("If-Match", "W/\"1\"")
                .body(changed)
                .put("/fhir/Patient/" + id)
                .then()
                .statusCode(412);
        given().header("Authorization", bearer(CLINIC_B))
                .contentType("application/fhir+json")
                .body(changed)
                .put("/fhir/Patient/" + id)
                .then()
                .statusCode(404);

        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + id + "/_history/1")
                .then()
                .statusCode(200)
                .body("meta.versionId", equalTo("1"));
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + id + "/_history/7")
                .then()
                .statusCode(404);
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + id + "/_history")
                .then()
                .statusCode(200)
                .body("type", equalTo("history"))
                .body("entry.resource.meta.versionId", org.hamcrest.Matchers.contains("2", "1"));
        given().header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Patient/" + id + "/_history")
                .then()
                .statusCode(404);
        given().header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Patient/" + id + "/_history/1")
                .then()
                .statusCode(404);
    }

    @Test
    void aPatientWithNothingToTellThemApartIsRefused() {
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"gender\":\"male\"}")
                .post("/fhir/Patient")
                .then()
                .statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void searchResultParametersAreCheckedAndNamedWhenWrong() {
        for (String mode : new String[] {"none", "estimate", "accurate"}) {
            given().header("Authorization", bearer(CLINIC_A))
                    .queryParam("family", "Nobody-" + mode)
                    .queryParam("_total", mode)
                    .get("/fhir/Patient")
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(0));
        }
        String[][] wrong = {{"_total", "weird"}, {"_offset", "ten"}, {"_count", "-1"}, {"colour", "red"}};
        for (String[] parameter : wrong) {
            given().header("Authorization", bearer(CLINIC_A))
                    .queryParam(parameter[0], parameter[1])
                    .get("/fhir/Patient")
                    .then()
                    .statusCode(400)
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString(parameter[0]));
        }
    }

    @Test
    void aReferenceWithoutAValidIdIsRefusedAndWritesNothing() throws Exception {
        long before = count();
        String[][] cases = {
            {"\"generalPractitioner\":[{\"reference\":\"Practitioner/\"}]", "Patient.generalPractitioner[0]"},
            {"\"managingOrganization\":{\"reference\":\"Organization/two words\"}", "Patient.managingOrganization"},
            {"\"link\":[{\"other\":{\"reference\":\"Patient//x\"},\"type\":\"seealso\"}]", "Patient.link[0].other"}
        };
        for (String[] wrong : cases) {
            given().header("Authorization", bearer(CLINIC_A))
                    .contentType("application/fhir+json")
                    .body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Nowhere\"}]," + wrong[0] + "}")
                    .post("/fhir/Patient")
                    .then()
                    .statusCode(422)
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString(wrong[1]));
        }
        assertThat(count()).isEqualTo(before);
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Somewhere\"}],"
                        + "\"generalPractitioner\":[{\"reference\":\"Practitioner/p-1.a\"},"
                        + "{\"reference\":\"https://example.org/fhir/Practitioner/9\"}],"
                        + "\"managingOrganization\":{\"reference\":\"Organization/org-1/_history/2\"}}")
                .post("/fhir/Patient")
                .then()
                .statusCode(201);
    }

    @Test
    void aRejectedRequestWritesNothing() throws Exception {
        long before = count();
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"birthDate\":\"not-a-date\"}")
                .post("/fhir/Patient")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        assertThat(count()).isEqualTo(before);
    }

    private long count() throws Exception {
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT (SELECT count(*) FROM patient) + (SELECT count(*) FROM outbox_event)")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
