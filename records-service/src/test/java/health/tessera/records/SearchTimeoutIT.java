package health.tessera.records;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A search whose query runs past {@code tessera.records.search.timeout} (10 s in tests) is stopped in PostgreSQL and
 * answered 413 too-costly; the same search answers normally once nothing holds it up. The slow query is made
 * deterministic by holding a lock on the record table from another connection while the search runs. (Not a
 * test profile of its own: a second Quarkus start in one JVM fails on HAPI's static state.)
 */
@QuarkusTest
class SearchTimeoutIT {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aSearchStillRunningAfterTheTimeoutIsStoppedAsTooCostlyAndAnswersOnceUnblocked() throws Exception {
        String code = "timeout-" + UUID.randomUUID();
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body("""
                        {"resourceType":"Observation","status":"final",
                         "code":{"coding":[{"system":"urn:test","code":"%s"}]}}""".formatted(code))
                .post("/fhir/Observation")
                .then()
                .statusCode(201);

        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("LOCK TABLE record IN ACCESS EXCLUSIVE MODE");
            }
            for (String query : new String[] {"code=urn:test|" + code, "code=urn:test|" + code + "&_summary=count"}) {
                given().header("Authorization", bearer(CLINIC_A))
                        .get("/fhir/Observation?" + query)
                        .then()
                        .statusCode(413)
                        .body("resourceType", equalTo("OperationOutcome"))
                        .body("issue[0].code", equalTo("too-costly"))
                        .body("issue[0].diagnostics", containsString("did not finish within 10 s"));
            }
            blocker.rollback();
        }

        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Observation?code=urn:test|" + code)
                .then()
                .statusCode(200)
                .body("total", equalTo(1));
    }
}
