package health.tessera.records;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.testkit.FhirFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** records-service on its test database, with real Keycloak tokens. */
@QuarkusTest
class RecordResourceIT {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void anObservationIsStoredAndItsEventCarriesTheValues() throws Exception {
        String id = given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(FhirFixtures.bloodPressure("p-42", 181, 99))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");

        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT r.patient_id, o.event_key, o.envelope FROM record r JOIN outbox_event o"
                                + " ON o.envelope::jsonb ->> 'subject' = 'Observation/' || r.id WHERE r.id = ?::uuid")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("p-42");
                assertThat(rs.getString(2))
                        .as("unknown patient: keyed by its id until the projection knows it")
                        .isEqualTo("p-42");
                JsonNode data = json.readTree(rs.getString(3)).path("data");
                assertThat(data.path("organization").asText()).isEqualTo("org-a");
                assertThat(data.path("values").get(0).path("code").asText()).isEqualTo("http://loinc.org|8480-6");
                assertThat(data.path("values").get(0).path("value").asDouble()).isEqualTo(181);
                assertThat(data.path("values").get(1).path("value").asDouble()).isEqualTo(99);
            }
        }

        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Observation/" + id)
                .then()
                .statusCode(200)
                .body("subject.reference", equalTo("Patient/p-42"));
        // Another organisation's record and a record that does not exist answer alike (the first is found by
        // the event loop's query and then refused on the same path as the second).
        String unknown = java.util.UUID.randomUUID().toString();
        String hidden = given().header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Observation/" + id)
                .then()
                .statusCode(404)
                .extract()
                .asString();
        String missing = given().header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Observation/" + unknown)
                .then()
                .statusCode(404)
                .extract()
                .asString();
        assertThat(hidden.replace(id, "ID")).isEqualTo(missing.replace(unknown, "ID"));
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Condition/" + id)
                .then()
                .statusCode(404);
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + id)
                .then()
                .statusCode(404)
                .body("issue[0].code", equalTo("not-supported"));
    }

    @io.quarkus.test.common.http.TestHTTPResource("/fhir/Observation")
    java.net.URI observations;

    /** A body sent in chunks has no Content-Length to refuse up front: it is counted while read, and refused. */
    @Test
    void anOversizedChunkedBodyIs413WithAnOperationOutcome() throws Exception {
        byte[] spaces = new byte[17 * 1024 * 1024];
        java.util.Arrays.fill(spaces, (byte) ' ');
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(observations)
                                .header("Authorization", bearer(CLINIC_A))
                                .header("Content-Type", "application/fhir+json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new java.io.ByteArrayInputStream(spaces)))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("OperationOutcome").contains("too-costly");
    }
}
