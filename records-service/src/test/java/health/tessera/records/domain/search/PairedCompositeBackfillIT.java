package health.tessera.records.domain.search;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Records stored before the paired composite rows existed get them once, without doubling anyone's rows. */
@QuarkusTest
class PairedCompositeBackfillIT {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PairedCompositeBackfill backfill;

    private static final String PATIENT = "backfill-" + UUID.randomUUID();

    private static String bloodPressure(int systolic, int diastolic) {
        return """
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
                 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"2026-11-19T09:30:00Z",
                 "component":[
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":%d,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":%d,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}
                """.formatted(PATIENT, systolic, diastolic);
    }

    private static List<String> highDiastolic() {
        List<String> ids = given().header("Authorization", bearer(CLINIC_A))
                .queryParam("patient", PATIENT)
                .queryParam("component-code-value-quantity", "http://loinc.org|8462-4$gt100")
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource.id");
        return ids == null ? List.of() : ids;
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void olderRecordsGetTheirPairsOnceAndNewerOnesKeepTheirs() throws SQLException {
        String older = given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(bloodPressure(182, 112))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String newer = given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(bloodPressure(176, 104))
                .post("/fhir/Observation")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertThat(highDiastolic()).containsExactlyInAnyOrder(older, newer);
        // The run started with the application holds the job's lock until it is done: wait for it.
        org.awaitility.Awaitility.await("the backfill started at boot has finished")
                .atMost(java.time.Duration.ofMinutes(3))
                .until(() -> markers() == 1);
        // As if `older` had been stored before records-service wrote pairs, and the job had not run yet.
        sql("DELETE FROM search_number WHERE id = '" + older + "' AND param LIKE 'component-code-value-quantity$%'");
        sql("DELETE FROM index_backfill");
        assertThat(highDiastolic()).containsExactly(newer);

        backfill.runOnce();

        assertThat(highDiastolic()).containsExactlyInAnyOrder(older, newer);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM search_number WHERE id IN ('" + older + "', '" + newer
                        + "') AND param LIKE 'component-code-value-quantity$%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("two pairs each, none doubled").isEqualTo(4);
        }
        assertThat(markers()).isEqualTo(1);
    }

    private int markers() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM index_backfill WHERE name = 'paired-composites-1'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
