package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import health.tessera.testkit.TesseraEndpoints;
import health.tessera.tools.SyntheaIngest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest tool on a Synthea-shaped folder: the hospital Bundle loads before the patient Bundle that
 * references its organisation conditionally, the summary counts every resource, and a second run skips what
 * is done.
 */
class SyntheaIngestIT {

    @TempDir
    Path folder;

    @Test
    void loadsHospitalsFirstCountsEverythingAndResumes() throws Exception {
        String npi = UUID.randomUUID().toString();
        String mrn = UUID.randomUUID().toString();
        Path fhir = Files.createDirectories(folder.resolve("fhir"));
        // Named so that, alphabetically, the patient would come first: the tool must still load the hospital first.
        Files.writeString(fhir.resolve("Aaron1_Patient_" + mrn + ".json"), """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:6d1c1c2a-1d5e-4f7b-8f43-0f0c4b1d2e3a",
                  "resource":{"resourceType":"Patient","identifier":[{"system":"https://github.com/synthetichealth/synthea","value":"%s"}],
                   "name":[{"family":"Ingested","given":["Aaron"]}],"birthDate":"1980-05-05"},
                  "request":{"method":"POST","url":"Patient"}},
                 {"fullUrl":"urn:uuid:7e2d2d3b-2e6f-4a8c-9a54-1a1d5c2e3f4b",
                  "resource":{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},
                   "subject":{"reference":"urn:uuid:6d1c1c2a-1d5e-4f7b-8f43-0f0c4b1d2e3a"},
                   "serviceProvider":{"reference":"Organization?identifier=https://github.com/synthetichealth/synthea|%s"}},
                  "request":{"method":"POST","url":"Encounter"}},
                 {"resource":{"resourceType":"Observation","status":"final","code":{"text":"weight"},
                   "subject":{"reference":"urn:uuid:6d1c1c2a-1d5e-4f7b-8f43-0f0c4b1d2e3a"},
                   "encounter":{"reference":"urn:uuid:7e2d2d3b-2e6f-4a8c-9a54-1a1d5c2e3f4b"}},
                  "request":{"method":"POST","url":"Observation"}}]}
                """.formatted(mrn, npi));
        Files.writeString(fhir.resolve("hospitalInformation1.json"), """
                {"resourceType":"Bundle","type":"batch","entry":[
                 {"resource":{"resourceType":"Organization","identifier":[{"system":"https://github.com/synthetichealth/synthea","value":"%s"}],
                   "name":"Ingest General"},
                  "request":{"method":"POST","url":"Organization","ifNoneExist":"identifier=https://github.com/synthetichealth/synthea|%s"}}]}
                """.formatted(npi, npi));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SyntheaIngest.Summary first =
                SyntheaIngest.run(folder, TesseraEndpoints.gateway(), CLINIC_A, false, new PrintStream(log));
        assertThat(first.failures()).isEmpty();
        assertThat(first.accepted()).isEqualTo(4);
        assertThat(log.toString()).contains("[1/2] hospitalInformation1.json").contains("ingested 4 resources");

        SyntheaIngest.Summary again =
                SyntheaIngest.run(folder, TesseraEndpoints.gateway(), CLINIC_A, false, new PrintStream(log));
        assertThat(again.skipped()).isEqualTo(2);
        assertThat(again.accepted()).isZero();

        given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", bearer(CLINIC_A))
                .queryParam("service-provider.identifier", "https://github.com/synthetichealth/synthea|" + npi)
                .get("/fhir/Encounter")
                .then()
                .statusCode(200)
                .body("total", equalTo(1));
    }
}
