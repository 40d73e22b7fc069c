package health.tessera.system;

import static io.restassured.RestAssured.given;

import health.tessera.testkit.KeycloakTokens;

/** The FHIR calls the system tests repeat. */
final class FhirCalls {

    private FhirCalls() {}

    /** Creates a resource at {@code baseUrl} as {@code client}, expects 201, returns the new id. */
    static String create(String baseUrl, KeycloakTokens.Client client, String type, String json) {
        return given().baseUri(baseUrl)
                .header("Authorization", KeycloakTokens.bearer(client))
                .contentType("application/fhir+json")
                .body(json)
                .post("/fhir/" + type)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }
}
