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

    /** The ids of the resources a search finds (200 expected; a searchset without entries has no entry element). */
    static java.util.List<String> foundIds(io.restassured.specification.RequestSpecification caller, String path) {
        java.util.List<String> ids =
                caller.get(path).then().statusCode(200).extract().jsonPath().getList("entry.resource.id");
        return ids == null ? java.util.List.of() : ids;
    }

    /**
     * Sends a GET to the gateway with the request line exactly as written (HTTP clients would encode it; a
     * malformed escape stays malformed) and returns the status and the body.
     */
    static String[] rawGet(String pathAndQuery, String authorization, String correlationId) throws java.io.IOException {
        java.net.URI gateway = java.net.URI.create(health.tessera.testkit.TesseraEndpoints.gateway());
        try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(30_000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + gateway.getAuthority()
                    + "\r\nAuthorization: " + authorization + "\r\nAccept: application/fhir+json"
                    + (correlationId == null ? "" : "\r\nX-Correlation-Id: " + correlationId)
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String response =
                    new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new String[] {response.substring(9, 12), response.substring(response.indexOf("\r\n\r\n") + 4)};
        }
    }
}
