package health.tessera.alerts;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import health.tessera.alerts.service.AlertRaiser;
import health.tessera.events.RecordCommitted;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Flag;
import org.junit.jupiter.api.Test;

/** alerts-service on its test database: raising a flag once per record version, and reading it per organisation. */
@QuarkusTest
class FlagResourceIT {

    @Inject
    AlertRaiser raiser;

    @Test
    void aCrisisIsFlaggedOnceAndVisibleOnlyToItsOrganisation() {
        String patient = UUID.randomUUID().toString();
        RecordCommitted record = new RecordCommitted(
                "Observation",
                UUID.randomUUID().toString(),
                1,
                "create",
                patient,
                "org-a",
                List.of("http://loinc.org|85354-9"),
                Instant.parse("2026-11-20T09:30:00Z"),
                List.of(new RecordCommitted.MeasuredValue("http://loinc.org|8480-6", 185, "mm[Hg]")));

        Flag flag = QuarkusTransaction.requiringNew()
                .call(() -> raiser.evaluate(record))
                .orElseThrow();
        assertThat(QuarkusTransaction.requiringNew().call(() -> raiser.evaluate(record)))
                .as("same record version")
                .isEmpty();

        given().header("Authorization", bearer(CLINIC_A))
                .queryParam("patient", patient)
                .get("/fhir/Flag")
                .then()
                .statusCode(200)
                .body("entry.size()", equalTo(1))
                .body("entry[0].resource.id", equalTo(flag.getIdElement().getIdPart()));
        given().header("Authorization", bearer(CLINIC_B))
                .queryParam("patient", patient)
                .get("/fhir/Flag")
                .then()
                .statusCode(200)
                .body("entry", org.hamcrest.Matchers.nullValue());
        given().header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Flag/" + flag.getIdElement().getIdPart())
                .then()
                .statusCode(404);
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Flag")
                .then()
                .statusCode(400);
    }
}
