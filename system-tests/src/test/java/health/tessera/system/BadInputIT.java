package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.TesseraEndpoints;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/** A client's mistake gets a FHIR OperationOutcome with the right status: never a 500, never internals. */
class BadInputIT {

    private static RequestSpecification asClinicA() {
        return given().baseUri(TesseraEndpoints.gateway()).header("Authorization", bearer(CLINIC_A));
    }

    @Test
    void malformedJsonIs400() {
        asClinicA()
                .contentType("application/fhir+json")
                .body("{\"resourceType\": \"Patient\", \"name\": [")
                .post("/fhir/Patient")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"))
                .body("issue[0].code", equalTo("structure"))
                .body(not(containsString("Exception")))
                .body(not(containsString("at ca.uhn")));
    }

    @Test
    void unknownElementIs400NotSilentlyDropped() {
        asClinicA()
                .contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"favouriteColour\":\"blue\"}")
                .post("/fhir/Patient")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", containsString("favouriteColour"));
    }

    @Test
    void resourceOfTheWrongTypeIs400() {
        asClinicA()
                .contentType("application/fhir+json")
                .body(FhirFixtures.patient("A", "B"))
                .post("/fhir/Observation")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void unknownResourceTypeIs404() {
        asClinicA().get("/fhir/Spaceship/1").then().statusCode(404).body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void unknownSearchParameterAndOversizedCountAre400() {
        asClinicA()
                .queryParam("patient", "x")
                .queryParam("colour", "blue")
                .get("/fhir/Flag")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", containsString("colour"));
        asClinicA()
                .queryParam("patient", "x")
                .queryParam("_count", "100000")
                .get("/fhir/Flag")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        asClinicA()
                .queryParam("patient", "x")
                .queryParam("_count", "many")
                .get("/fhir/Flag")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void unsupportedContentTypeIs415() {
        asClinicA()
                .contentType("text/plain")
                .body("hello")
                .post("/fhir/Patient")
                .then()
                .statusCode(415)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void xmlIsAcceptedAndAnsweredWhenAsked() {
        String xml = "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"Nakamura\"/></name></Patient>";
        String id = asClinicA()
                .contentType("application/fhir+xml")
                .accept("application/fhir+xml")
                .body(xml)
                .post("/fhir/Patient")
                .then()
                .statusCode(201)
                .contentType(containsString("application/fhir+xml"))
                .extract()
                .xmlPath()
                .getString("Patient.id.@value");
        asClinicA()
                .queryParam("_format", "json")
                .get("/fhir/Patient/" + id)
                .then()
                .statusCode(200)
                .contentType(containsString("application/fhir+json"))
                .body("name[0].family", equalTo("Nakamura"));
        asClinicA()
                .queryParam("_format", "xml")
                .get("/fhir/Patient/badid")
                .then()
                .statusCode(404)
                .contentType(containsString("xml"));
    }

    @Test
    void preferReturnMinimalAnswersWithoutABody() {
        asClinicA()
                .contentType("application/fhir+json")
                .header("Prefer", "return=minimal")
                .body(FhirFixtures.patient("C", "D"))
                .post("/fhir/Patient")
                .then()
                .statusCode(201)
                .header("Location", containsString("/fhir/Patient/"))
                .body(equalTo(""));
    }

    @Test
    void aStaleIfMatchThroughTheGatewayIs412AndDeletedRecordsAre410() {
        String patientId =
                FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("E", "F"));
        String id = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(patientId, 120, 80));
        String updated = FhirFixtures.bloodPressure(patientId, 125, 82)
                .replaceFirst(
                        "\\{\"resourceType\":\"Observation\",",
                        "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",");
        asClinicA()
                .contentType("application/fhir+json")
                .header("If-Match", "W/\"1\"")
                .body(updated)
                .put("/fhir/Observation/" + id)
                .then()
                .statusCode(200)
                .header("ETag", equalTo("W/\"2\""));
        asClinicA()
                .contentType("application/fhir+json")
                .header("If-Match", "W/\"1\"")
                .body(updated)
                .put("/fhir/Observation/" + id)
                .then()
                .statusCode(412)
                .body("resourceType", equalTo("OperationOutcome"));
        asClinicA().delete("/fhir/Observation/" + id).then().statusCode(204);
        asClinicA()
                .get("/fhir/Observation/" + id)
                .then()
                .statusCode(410)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void anOversizedBodyIs413WithAnOperationOutcome() {
        byte[] body = new byte[17 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        asClinicA()
                .contentType("application/fhir+json")
                .body(body)
                .post("/fhir/Patient")
                .then()
                .statusCode(413)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("too-costly"));
    }

    /** Without a Content-Length (chunked), the body is counted while the gateway reads it. */
    @Test
    void anOversizedBodySentInChunksIs413Too() throws Exception {
        byte[] body = new byte[17 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(TesseraEndpoints.gateway() + "/fhir/Observation"))
                .header("Authorization", bearer(CLINIC_A))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                // an InputStream publisher has no length: the client sends the body in chunks
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body)))
                .build();
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).isEqualTo(413);
        org.assertj.core.api.Assertions.assertThat(response.body()).contains("OperationOutcome", "too-costly");
    }

    @Test
    void deeplyNestedJsonIs400NotAStackOverflow() {
        int depth = 5_000;
        String nested = "[".repeat(depth) + "]".repeat(depth);
        for (String base : java.util.List.of(TesseraEndpoints.gateway(), TesseraEndpoints.recordsService())) {
            given().baseUri(base)
                    .header("Authorization", bearer(CLINIC_A))
                    .contentType("application/fhir+json")
                    .body("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                            + "\"extension\":" + nested + "}")
                    .post("/fhir/Observation")
                    .then()
                    .statusCode(400)
                    .body("resourceType", equalTo("OperationOutcome"));
        }
        // the same inside a Bundle
        asClinicA()
                .contentType("application/fhir+json")
                .body("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":{\"resourceType\":"
                        + "\"Observation\",\"extension\":" + nested + "},\"request\":{\"method\":\"POST\",\"url\":"
                        + "\"Observation\"}}]}")
                .post("/fhir")
                .then()
                .statusCode(org.hamcrest.Matchers.lessThan(500));
    }

    @Test
    void aBurstOverTheClientsRateLimitIs429WithRetryAfter() throws Exception {
        // clinic-b-burst may send 5 requests a second (gateway configuration): 40 from 10 threads cannot all pass
        String token = bearer(health.tessera.testkit.KeycloakTokens.CLINIC_B_BURST);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        java.util.List<java.util.concurrent.Future<io.restassured.response.Response>> sent =
                new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                sent.add(pool.submit(() -> given().baseUri(TesseraEndpoints.gateway())
                        .header("Authorization", token)
                        .get("/fhir/Observation?code=burst")));
            }
            int throttled = 0;
            for (var future : sent) {
                io.restassured.response.Response response = future.get();
                if (response.statusCode() == 429) {
                    throttled++;
                    response.then()
                            .header("Retry-After", equalTo("1"))
                            .body("resourceType", equalTo("OperationOutcome"))
                            .body("issue[0].code", equalTo("throttled"));
                } else {
                    response.then().statusCode(200);
                }
            }
            org.assertj.core.api.Assertions.assertThat(throttled).isGreaterThan(0);
        } finally {
            pool.shutdownNow();
        }
        // other clients keep their own budget
        asClinicA().get("/fhir/Observation?code=burst").then().statusCode(200);
    }

    /** Sends a request line exactly as written (HTTP clients would encode it) and returns status and body. */
    private static String[] rawGet(String pathAndQuery) throws java.io.IOException {
        return FhirCalls.rawGet(pathAndQuery, bearer(CLINIC_A), null);
    }

    @Test
    void aRawPipeInATokenSearchWorksAndABrokenEscapeIs400() throws Exception {
        // The FHIR spec writes token searches with a raw '|'; curl sends them so.
        String[] search = rawGet("/fhir/Observation?code=http://loinc.org|8480-6&_count=1");
        org.assertj.core.api.Assertions.assertThat(search[0]).isEqualTo("200");
        org.assertj.core.api.Assertions.assertThat(search[1]).contains("\"searchset\"");
        String[] broken = rawGet("/fhir/Observation?code=http://loinc.org%ZZ8480-6");
        org.assertj.core.api.Assertions.assertThat(broken[0]).isEqualTo("400");
        org.assertj.core.api.Assertions.assertThat(broken[1])
                .contains("OperationOutcome")
                .contains("malformed");
    }
}
