package health.tessera.records;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay vacuums the outbox after every {@code tessera.outbox.vacuum-every} rows it marked sent (200 in
 * tests), so the dead row versions marking leaves do not pile up where autovacuum never runs.
 */
@QuarkusTest
class OutboxVacuumIT {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theRelayVacuumsTheOutboxOnceEnoughRowsWereSent() throws SQLException {
        long before = vacuums();
        String patient = UUID.randomUUID().toString();
        String entries = IntStream.range(0, 250)
                .mapToObj(i -> """
                        {"resource":{"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                          "subject":{"reference":"Patient/%s"},"valueQuantity":{"value":%d,"unit":"/min"}},
                         "request":{"method":"POST","url":"Observation"}}""".formatted(patient, 60 + i % 40))
                .collect(Collectors.joining(","));
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}")
                .post("/fhir")
                .then()
                .statusCode(200);

        Awaitility.await("the relay vacuumed the outbox")
                .atMost(Duration.ofSeconds(30))
                .until(() -> vacuums() > before);
    }

    /** How often outbox_event was vacuumed by hand (VACUUM, not autovacuum). */
    private long vacuums() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'outbox_event'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
