package health.tessera.patient;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.OPERATOR;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import health.tessera.testkit.FhirFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The matching model's API for operators: read it, set its parameters (checked), train it on the stored population
 * (EM, no labels), reset it to the defaults; each change is stored and in force at once.
 */
@QuarkusTest
class MatchModelIT {

    private static final List<String> GIVEN = List.of(
            "Aurelio", "Birgit", "Cassius", "Delphine", "Ezra", "Fenella", "Gideon", "Hester", "Ignatius", "Juno");
    private static final List<String> FAMILY =
            List.of("Ashworth", "Blackwood", "Carrow", "Dunmore", "Ellery", "Fairbanks", "Greaves");

    @AfterEach
    void backToTheDefaults() {
        given().header("Authorization", bearer(OPERATOR))
                .delete("/mpi/model")
                .then()
                .statusCode(200);
    }

    private static JsonPath model() {
        return given().header("Authorization", bearer(OPERATOR))
                .get("/mpi/model")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void operatorsReadAndSetTheModelWithinItsRules() {
        JsonPath current = model();
        assertThat(current.getList("parameters.fields.field")).contains("GIVEN_NAME", "BIRTH_DATE", "ADDRESS");
        assertThat(current.getDouble("parameters.upperProbability")).isGreaterThan(0.5);

        Map<String, Object> parameters = current.getMap("parameters");
        parameters.put("upperProbability", 0.97);
        JsonPath configured = given().header("Authorization", bearer(OPERATOR))
                .contentType("application/json")
                .body(parameters)
                .put("/mpi/model")
                .then()
                .statusCode(200)
                .body("source", equalTo("configured"))
                .extract()
                .jsonPath();
        assertThat(configured.getInt("version")).isGreaterThan(current.getInt("version"));
        assertThat(model().getDouble("parameters.upperProbability")).isEqualTo(0.97);

        // a review band upside down, and an m above 1, are refused and change nothing
        parameters.put("lowerProbability", 0.99);
        given().header("Authorization", bearer(OPERATOR))
                .contentType("application/json")
                .body(parameters)
                .put("/mpi/model")
                .then()
                .statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("lowerProbability"));
        String badM = """
                {"lambda":0.0001,"eta":0.0001,"upperProbability":0.9,"lowerProbability":0.1,"strictConflicts":[],
                 "fields":[{"field":"GIVEN_NAME","m":{"EXACT":1.5},"u":{"EXACT":0.01,"DISAGREE":0.99}}]}""";
        given().header("Authorization", bearer(OPERATOR))
                .contentType("application/json")
                .body(badM)
                .put("/mpi/model")
                .then()
                .statusCode(422)
                .body("issue[0].diagnostics", containsString("GIVEN_NAME m"));
        given().header("Authorization", bearer(OPERATOR))
                .contentType("application/json")
                .body("{\"lambda\": ")
                .put("/mpi/model")
                .then()
                .statusCode(400);
        assertThat(model().getInt("version")).isEqualTo(configured.getInt("version"));
    }

    @Test
    void onlyOperatorsSeeOrChangeTheModel() {
        given().header("Authorization", bearer(CLINIC_A))
                .get("/mpi/model")
                .then()
                .statusCode(403);
        given().header("Authorization", bearer(CLINIC_B))
                .post("/mpi/model/train")
                .then()
                .statusCode(403);
        given().header("Authorization", bearer(CLINIC_A))
                .delete("/mpi/model")
                .then()
                .statusCode(403);
        given().get("/mpi/model").then().statusCode(401);
    }

    @Test
    void trainingFitsTheModelToTheStoredPopulation() {
        for (int i = 0; i < 70; i++) {
            String given = GIVEN.get(i % GIVEN.size());
            String family = FAMILY.get(i % FAMILY.size());
            given().header("Authorization", bearer(i % 2 == 0 ? CLINIC_A : CLINIC_B))
                    .contentType("application/fhir+json")
                    .body(FhirFixtures.person(
                            given, family, FhirFixtures.randomBirthDate(), "555-01" + (10 + i), i + " Elm Street"))
                    .post("/fhir/Patient")
                    .then()
                    .statusCode(201);
        }
        JsonPath trained = given().header("Authorization", bearer(OPERATOR))
                .post("/mpi/model/train")
                .then()
                .statusCode(200)
                .body("source", equalTo("trained"))
                .extract()
                .jsonPath();
        assertThat(trained.getString("summary")).contains("EM sessions");
        assertThat(trained.getInt("parameters.trainingRecords")).isGreaterThanOrEqualTo(70);
        for (Object m : trained.getList("parameters.fields.m.EXACT")) {
            assertThat(((Number) m).doubleValue()).isBetween(0.0, 1.0);
        }
        assertThat(model().getString("source")).isEqualTo("trained");
        // registrations go on with the trained model
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(FhirFixtures.patient("Afterwards", "Tamsin"))
                .post("/fhir/Patient")
                .then()
                .statusCode(201);
    }
}
