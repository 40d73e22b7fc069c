package health.tessera.records;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** GET /fhir/metadata: public, and describing what the service really serves. */
@QuarkusTest
class CapabilityIT {

    @Test
    void theCapabilityStatementIsPublicAndComesFromWhatIsServed() {
        given().accept("application/fhir+json")
                .get("/fhir/metadata")
                .then()
                .statusCode(200)
                .body("resourceType", equalTo("CapabilityStatement"))
                .body("fhirVersion", equalTo("4.0.1"))
                .body("rest[0].documentation", containsString("patient-service"))
                .body("rest[0].interaction.code", hasItem("transaction"))
                .body("rest[0].resource.find { it.type == 'Observation' }.searchParam.name", hasItem("component-code"))
                .body("rest[0].resource.find { it.type == 'Group' }.operation.name", hasItem("export"))
                .body("rest[0].resource.find { it.type == 'Patient' }.operation.name", hasItem("everything"));
    }
}
