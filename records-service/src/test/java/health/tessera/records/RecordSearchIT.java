package health.tessera.records;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import health.tessera.testkit.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Search over the index: every parameter kind, prefixes, modifiers, chains, _has, sorting and paging. */
@QuarkusTest
class RecordSearchIT {

    // Made once, by the first test to run: RestAssured knows the test port only once Quarkus has started.
    private static final String patient = "search-" + UUID.randomUUID();
    private static String encounter;
    private static String bp1;
    private static String bp2;
    private static String bp3;
    private static String glucose;

    private static RequestSpecification as(KeycloakTokens.Client client) {
        return given().header("Authorization", bearer(client)).contentType("application/fhir+json; charset=UTF-8");
    }

    private static String create(String type, String json) {
        return as(CLINIC_A)
                .body(json)
                .post("/fhir/" + type)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    private static String bp(String when, int systolic, int diastolic, String encounterId) {
        return """
                {"resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure panel"}],"text":"Blood pressure"},
                 "subject":{"reference":"Patient/%s"},%s
                 "effectiveDateTime":"%s",
                 "component":[
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":%d,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":%d,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}
                """.formatted(
                        patient,
                        encounterId == null ? "" : "\"encounter\":{\"reference\":\"Encounter/" + encounterId + "\"},",
                        when,
                        systolic,
                        diastolic);
    }

    @BeforeEach
    void records() {
        if (encounter != null) {
            return;
        }
        encounter = create("Encounter", """
                {"resourceType":"Encounter","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
                 "subject":{"reference":"Patient/%s"},"period":{"start":"2026-11-19T09:00:00Z","end":"2026-11-19T10:00:00Z"}}
                """.formatted(patient));
        bp1 = create("Observation", bp("2026-11-19T09:30:00Z", 185, 110, encounter));
        bp2 = create("Observation", bp("2026-11-20T09:30:00Z", 150, 95, null));
        bp3 = create("Observation", bp("2026-11-21T09:30:00Z", 128, 82, null));
        glucose = create("Observation", """
                {"resourceType":"Observation","status":"preliminary",
                 "code":{"coding":[{"system":"http://loinc.org","code":"2339-0","display":"Glucose"}]},
                 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"2026-11-20",
                 "valueQuantity":{"value":5.4,"system":"http://unitsofmeasure.org","code":"mmol/L"}}
                """.formatted(patient));
        create("Practitioner", """
                {"resourceType":"Practitioner","name":[{"family":"Gómez-Smith","given":["Lucía"]}]}
                """);
    }

    private List<String> ids(String type, Object... keyValues) {
        RequestSpecification request = as(CLINIC_A);
        for (int i = 0; i < keyValues.length; i += 2) {
            request = request.queryParam(keyValues[i].toString(), keyValues[i + 1]);
        }
        List<String> found = request.get("/fhir/" + type)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource.id");
        return found == null ? List.of() : found;
    }

    @Test
    void tokens() {
        assertThat(ids("Observation", "patient", patient, "code", "http://loinc.org|85354-9"))
                .containsExactlyInAnyOrder(bp1, bp2, bp3);
        assertThat(ids("Observation", "patient", patient, "code", "2339-0")).containsExactly(glucose);
        assertThat(ids("Observation", "patient", patient, "code", "http://snomed.info/sct|2339-0"))
                .isEmpty();
        assertThat(ids("Observation", "patient", patient, "code", "http://loinc.org|"))
                .hasSize(4);
        assertThat(ids("Observation", "patient", patient, "code:not", "http://loinc.org|85354-9"))
                .containsExactly(glucose);
        assertThat(ids("Observation", "patient", patient, "code:text", "pressure"))
                .containsExactlyInAnyOrder(bp1, bp2, bp3);
        assertThat(ids("Observation", "patient", patient, "code", "2339-0,8480-6"))
                .containsExactly(glucose);
        assertThat(ids("Observation", "patient", patient, "component-code", "http://loinc.org|8480-6"))
                .hasSize(3);
        assertThat(ids("Observation", "patient", patient, "status", "preliminary"))
                .containsExactly(glucose);
        assertThat(ids("Observation", "patient", patient, "category", "vital-signs"))
                .hasSize(3);
    }

    @Test
    void references() {
        assertThat(ids("Observation", "subject", "Patient/" + patient)).hasSize(4);
        assertThat(ids("Observation", "patient", patient)).hasSize(4);
        assertThat(ids("Observation", "subject:Patient", patient)).hasSize(4);
        assertThat(ids("Observation", "subject", "Group/" + patient)).isEmpty();
        assertThat(ids("Observation", "encounter", encounter)).containsExactly(bp1);
    }

    /**
     * A search with a plain reference to a patient starts from that reference's index rows and tests the rest on
     * them (RecordSearch): the answers must be those of the conditions on the record.
     */
    @Test
    void aSearchStartingFromAReferenceMeansWhatItsConditionsSay() {
        String nobody = java.util.UUID.randomUUID().toString();
        assertThat(ids("Observation", "patient", patient, "_lastUpdated", "gt2000-01-01"))
                .hasSize(4);
        assertThat(ids("Observation", "patient", patient, "_lastUpdated", "lt2000-01-01"))
                .isEmpty();
        assertThat(ids("Observation", "patient", patient, "patient", nobody))
                .as("both must hold")
                .isEmpty();
        assertThat(ids("Observation", "patient", patient + "," + nobody))
                .as("either may hold")
                .hasSize(4);
        assertThat(ids("Observation", "subject:Patient", patient, "encounter", encounter))
                .containsExactly(bp1);
        assertThat(ids("Observation", "encounter", encounter, "patient", patient))
                .containsExactly(bp1);
        assertThat(ids("Observation", "encounter", encounter, "patient", nobody))
                .isEmpty();
        assertThat(ids("Observation", "patient", patient, "_id", bp1)).containsExactly(bp1);
        assertThat(ids("Observation", "patient", nobody, "_id", bp1)).isEmpty();
        as(CLINIC_A)
                .queryParam("patient", patient)
                .queryParam("encounter", encounter)
                .queryParam("_summary", "count")
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(1));
        as(CLINIC_B)
                .queryParam("patient", patient)
                .queryParam("encounter", encounter)
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void datesWithEveryPrefix() {
        assertThat(ids("Observation", "patient", patient, "date", "2026-11-20"))
                .containsExactlyInAnyOrder(bp2, glucose);
        assertThat(ids("Observation", "patient", patient, "date", "eq2026-11")).hasSize(4);
        assertThat(ids("Observation", "patient", patient, "date", "ne2026-11-20"))
                .containsExactlyInAnyOrder(bp1, bp3);
        assertThat(ids("Observation", "patient", patient, "date", "lt2026-11-20"))
                .containsExactly(bp1);
        assertThat(ids("Observation", "patient", patient, "date", "le2026-11-20"))
                .containsExactlyInAnyOrder(bp1, bp2, glucose);
        assertThat(ids("Observation", "patient", patient, "date", "gt2026-11-20"))
                .containsExactly(bp3);
        assertThat(ids("Observation", "patient", patient, "date", "ge2026-11-20T09:30:00Z"))
                .containsExactlyInAnyOrder(bp2, bp3, glucose);
        assertThat(ids("Observation", "patient", patient, "date", "sa2026-11-20"))
                .containsExactly(bp3);
        assertThat(ids("Observation", "patient", patient, "date", "eb2026-11-20"))
                .containsExactly(bp1);
        assertThat(ids("Observation", "patient", patient, "date", "ap2026-11-20"))
                .hasSize(4);
        assertThat(ids("Observation", "patient", patient, "date", "ge2026-11-20", "date", "lt2026-11-21"))
                .containsExactlyInAnyOrder(bp2, glucose);
        assertThat(ids("Encounter", "subject", patient, "date", "2026-11-19")).containsExactly(encounter);
    }

    @Test
    void aUnionParameterFindsTheValuesOfEachOfItsParts() {
        // combo-code is code | component-code, combo-value-quantity is value-quantity | component-value-quantity:
        // they are searched in their parts' index rows
        assertThat(ids("Observation", "patient", patient, "combo-code", "http://loinc.org|8480-6"))
                .containsExactlyInAnyOrder(bp1, bp2, bp3);
        assertThat(ids("Observation", "patient", patient, "combo-code", "2339-0,85354-9"))
                .containsExactlyInAnyOrder(bp1, bp2, bp3, glucose);
        assertThat(ids("Observation", "patient", patient, "combo-value-quantity", "ge180"))
                .containsExactly(bp1);
        assertThat(ids("Observation", "patient", patient, "combo-value-quantity", "5.4"))
                .containsExactly(glucose);
        assertThat(ids("Observation", "patient", patient, "combo-value-quantity:missing", "true"))
                .isEmpty();
        assertThat(ids("Observation", "patient", patient, "combo-value-concept:missing", "true"))
                .containsExactlyInAnyOrder(bp1, bp2, bp3, glucose);
    }

    @Test
    void quantitiesWithPrefixesAndUnits() {
        assertThat(ids("Observation", "patient", patient, "component-value-quantity", "ge180"))
                .containsExactly(bp1);
        assertThat(ids(
                        "Observation",
                        "patient",
                        patient,
                        "component-value-quantity",
                        "gt180|http://unitsofmeasure.org|mm[Hg]"))
                .containsExactly(bp1);
        assertThat(ids("Observation", "patient", patient, "component-value-quantity", "150"))
                .containsExactly(bp2);
        assertThat(ids("Observation", "patient", patient, "value-quantity", "5.4"))
                .containsExactly(glucose);
        assertThat(ids("Observation", "patient", patient, "value-quantity", "5.4|http://unitsofmeasure.org|mg/dL"))
                .isEmpty();
        assertThat(ids("Observation", "patient", patient, "value-quantity", "ap5"))
                .containsExactly(glucose);
        assertThat(ids("Observation", "patient", patient, "value-quantity", "lt5"))
                .isEmpty();
        assertThat(ids("Observation", "patient", patient, "value-quantity", "ne5.4"))
                .isEmpty();
    }

    @Test
    void compositesPairTheCodeWithItsOwnValue() {
        // Diastolic over 100 is bp1 alone; any component over 100 with a diastolic somewhere would be all three.
        assertThat(ids(
                        "Observation",
                        "patient",
                        patient,
                        "component-code-value-quantity",
                        "http://loinc.org|8462-4$gt100"))
                .containsExactly(bp1);
        assertThat(ids(
                        "Observation",
                        "patient",
                        patient,
                        "component-code-value-quantity",
                        "http://loinc.org|8480-6$lt140"))
                .containsExactly(bp3);
        assertThat(ids("Observation", "patient", patient, "component-code-value-quantity", "8462-4$gt100"))
                .containsExactly(bp1);
        assertThat(ids("Observation", "patient", patient, "component-code-value-quantity", "http://loinc.org|$ge180"))
                .containsExactly(bp1);
        assertThat(ids(
                        "Observation",
                        "patient",
                        patient,
                        "component-code-value-quantity",
                        "http://loinc.org|8462-4$gt100|http://unitsofmeasure.org|mm[Hg]"))
                .containsExactly(bp1);
        assertThat(ids(
                        "Observation",
                        "patient",
                        patient,
                        "component-code-value-quantity",
                        "http://loinc.org|8462-4$gt100,http://loinc.org|8480-6$lt140"))
                .containsExactlyInAnyOrder(bp1, bp3);
        assertThat(ids("Observation", "patient", patient, "code-value-quantity", "http://loinc.org|2339-0$gt5"))
                .containsExactly(glucose);
        assertThat(ids("Observation", "patient", patient, "code-value-quantity", "http://loinc.org|2339-0$gt6"))
                .isEmpty();
        assertThat(ids("Observation", "patient", patient, "code-value-quantity", "http://loinc.org|85354-9$gt5"))
                .as("the panel itself has no value")
                .isEmpty();
        assertThat(ids("Observation", "patient", patient, "combo-code-value-quantity", "http://loinc.org|2339-0$gt5"))
                .containsExactly(glucose);
        assertThat(ids("Observation", "patient", patient, "combo-code-value-quantity", "http://loinc.org|8462-4$gt100"))
                .containsExactly(bp1);
        as(CLINIC_A)
                .queryParam("code-value-quantity", "gt5")
                .get("/fhir/Observation")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", containsString("joined by $"));
        as(CLINIC_A)
                .queryParam("component-code-value-quantity:missing", "true")
                .get("/fhir/Observation")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .get("/fhir/metadata")
                .then()
                .statusCode(200)
                .body(
                        "rest[0].resource.find { it.type == 'Observation' }.searchParam"
                                + ".find { it.name == 'component-code-value-quantity' }.type",
                        equalTo("composite"));
    }

    @Test
    void stringsIgnoreCaseAndAccentsUnlessExact() {
        assertThat(ids("Practitioner", "name", "gomez")).hasSize(1);
        assertThat(ids("Practitioner", "name", "LUCIA")).hasSize(1);
        assertThat(ids("Practitioner", "name:contains", "smith")).hasSize(1);
        assertThat(ids("Practitioner", "name", "smith")).isEmpty();
        assertThat(ids("Practitioner", "name:exact", "Gómez-Smith")).hasSize(1);
        assertThat(ids("Practitioner", "name:exact", "gómez-smith")).isEmpty();
    }

    @Test
    void theLastDayADateCanNameIsStoredAndFound() {
        // Its range ends at 10000-01-01T00:00:00Z, which the index rows must write in a form PostgreSQL reads.
        String farFuture = "search-" + UUID.randomUUID();
        String lastDay = create("Observation", """
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},
                 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"9999-12-31"}
                """.formatted(farFuture));
        assertThat(ids("Observation", "patient", farFuture, "date", "9999-12-31"))
                .containsExactly(lastDay);
        assertThat(ids("Observation", "patient", farFuture, "date", "gt9999-12-30"))
                .containsExactly(lastDay);
    }

    @Test
    void valuesWithTabsNewlinesAndBackslashesAreIndexedAsSent() {
        // Records and index rows go to PostgreSQL by COPY in its text format, where these characters are escapes.
        String family = "O\\Neill\tof\nthe \\N glen";
        String id = create("Practitioner", """
                {"resourceType":"Practitioner","name":[{"family":"%s"}]}
                """.formatted(
                        family.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")));
        // In a search value a backslash escapes the next character: a backslash is sent doubled.
        assertThat(ids("Practitioner", "name:exact", family.replace("\\", "\\\\")))
                .containsExactly(id);
        assertThat(ids("Practitioner", "name:contains", "\\\\N glen")).containsExactly(id);
        assertThat(as(CLINIC_A)
                        .get("/fhir/Practitioner/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getString("name[0].family"))
                .isEqualTo(family);
    }

    @Test
    void chainsAndHas() {
        assertThat(ids("Observation", "patient", patient, "encounter.status", "finished"))
                .containsExactly(bp1);
        assertThat(ids("Observation", "patient", patient, "encounter:Encounter.status", "planned"))
                .isEmpty();
        assertThat(ids("Encounter", "_has:Observation:encounter:code", "85354-9"))
                .containsExactly(encounter);
        assertThat(ids("Encounter", "_has:Observation:encounter:code", "2339-0"))
                .isEmpty();
    }

    @jakarta.inject.Inject
    health.tessera.records.domain.PatientProjection projection;

    @jakarta.inject.Inject
    health.tessera.records.events.PatientIndexing patientIndexing;

    @Test
    void chainsIntoThePatientsOfTheProjection() {
        String someone = UUID.randomUUID().toString();
        String family = "Chainwright" + someone.substring(0, 8);
        String json = """
                {"resourceType":"Patient","id":"%s","identifier":[{"system":"urn:test:mrn","value":"%s"}],
                 "name":[{"family":"%s","given":["Ada"]}],"birthDate":"1970-03-04"}""".formatted(someone, someone, family);
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            projection.upsert(someone, someone, "org-a", 1, json);
            patientIndexing.index(someone, json);
        });
        String observation = create("Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"chained"},"subject":{"reference":"Patient/%s"}}""".formatted(someone));
        assertThat(ids("Observation", "subject:Patient.name", family.toLowerCase()))
                .containsExactly(observation);
        assertThat(ids("Observation", "patient.identifier", "urn:test:mrn|" + someone))
                .containsExactly(observation);
        assertThat(ids("Observation", "patient.family:exact", family, "patient.birthdate", "1970-03-04"))
                .containsExactly(observation);
        assertThat(ids("Observation", "patient.birthdate", "1971")).isEmpty();
        // patient is kept as subject's rows to a Patient: includes, sorting and :missing read them as the patient's
        assertThat(ids("Observation", "patient", someone, "_include", "Observation:patient"))
                .containsExactlyInAnyOrder(observation, someone);
        assertThat(ids("Observation", "_id", observation, "_include", "Observation:subject:Patient"))
                .containsExactlyInAnyOrder(observation, someone);
        assertThat(ids("Observation", "_id", observation, "patient:missing", "true"))
                .isEmpty();
        assertThat(ids("Observation", "_id", observation, "patient:missing", "false"))
                .containsExactly(observation);
        assertThat(ids("Observation", "patient", someone, "_sort", "-patient")).containsExactly(observation);
        assertThat(ids("Observation", "patient", "Group/" + someone)).isEmpty();
        // Another organisation's records never match through this organisation's patients, and vice versa.
        as(CLINIC_B)
                .queryParam("patient.identifier", "urn:test:mrn|" + someone)
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void elementsAndSearchByPost() {
        JsonPath subset = as(CLINIC_A)
                .queryParam("patient", patient)
                .queryParam("code", "http://loinc.org|85354-9")
                .queryParam("_elements", "code,effective")
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(subset.getList("entry.resource.code.text")).containsOnly("Blood pressure");
        assertThat(subset.getList("entry.resource.effectiveDateTime")).doesNotContainNull();
        assertThat(subset.getList("entry.resource.component")).containsOnlyNulls();
        assertThat(subset.getList("entry.resource.subject")).containsOnlyNulls();
        assertThat(subset.getList("entry.resource.meta.tag[0].code")).containsOnly("SUBSETTED");
        as(CLINIC_A)
                .queryParam("_elements", "status")
                .get("/fhir/Observation/" + glucose)
                .then()
                .statusCode(200)
                .body("status", equalTo("preliminary"))
                .body("code", nullValue());
        as(CLINIC_A)
                .queryParam("_elements", "code.coding")
                .get("/fhir/Observation")
                .then()
                .statusCode(400);

        // JSON pages are written around the stored JSON; XML ones go through HAPI: the same Bundle either way.
        String xml = as(CLINIC_A)
                .queryParam("patient", patient)
                .queryParam("_format", "xml")
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(xml)
                .startsWith("<Bundle")
                .contains("<mode value=\"match\"/>")
                .contains(glucose);

        // POST Type/_search with a form body finds what the GET finds.
        List<String> byPost = given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/x-www-form-urlencoded")
                .formParam("patient", patient)
                .formParam("code", "http://loinc.org|85354-9")
                .queryParam("_sort", "date")
                .post("/fhir/Observation/_search")
                .then()
                .statusCode(200)
                .body("type", equalTo("searchset"))
                .extract()
                .jsonPath()
                .getList("entry.resource.id");
        assertThat(byPost)
                .isEqualTo(ids("Observation", "patient", patient, "code", "http://loinc.org|85354-9", "_sort", "date"));
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/x-www-form-urlencoded")
                .formParam("colour", "red")
                .post("/fhir/Observation/_search")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void summaryModesLeaveOutWhatTheyShould() {
        String noted = create("Observation", """
                {"resourceType":"Observation","status":"final",
                 "text":{"status":"generated","div":"<div xmlns=\\"http://www.w3.org/1999/xhtml\\">Pulse 72</div>"},
                 "code":{"text":"pulse"},"subject":{"reference":"Patient/%s"},"note":[{"text":"after a walk"}]}
                """.formatted(patient));
        as(CLINIC_A)
                .queryParam("_summary", "true")
                .get("/fhir/Observation/" + noted)
                .then()
                .statusCode(200)
                .body("code.text", equalTo("pulse"))
                .body("note", nullValue());
        as(CLINIC_A)
                .queryParam("_summary", "data")
                .get("/fhir/Observation/" + noted)
                .then()
                .body("text", nullValue())
                .body("note[0].text", equalTo("after a walk"));
        as(CLINIC_A)
                .queryParam("_summary", "text")
                .queryParam("_id", noted)
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .body("entry[0].resource.text.status", equalTo("generated"))
                .body("entry[0].resource.code", nullValue());
        as(CLINIC_A)
                .queryParam("_summary", "maybe")
                .get("/fhir/Observation/" + noted)
                .then()
                .statusCode(400);
    }

    @Test
    void missingFindsRecordsWithoutAValueAndWithOne() {
        // bp1 has an encounter; the other readings of the patient have none.
        assertThat(ids("Observation", "patient", patient, "encounter:missing", "false"))
                .containsExactly(bp1);
        assertThat(ids("Observation", "patient", patient, "encounter:missing", "true"))
                .contains(bp2, bp3)
                .doesNotContain(bp1);
        as(CLINIC_A)
                .queryParam("encounter:missing", "maybe")
                .get("/fhir/Observation")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void idLastUpdatedAndSort() {
        assertThat(ids("Observation", "_id", bp1 + "," + bp3)).containsExactlyInAnyOrder(bp1, bp3);
        assertThat(ids("Observation", "_id", "not-a-uuid")).isEmpty();
        assertThat(ids("Observation", "patient", patient, "_lastUpdated", "ge2000-01-01"))
                .hasSize(4);
        assertThat(ids("Observation", "patient", patient, "_lastUpdated", "lt2000-01-01"))
                .isEmpty();
        assertThat(ids("Observation", "patient", patient, "code", "85354-9", "_sort", "-date"))
                .containsExactly(bp3, bp2, bp1);
        assertThat(ids("Observation", "patient", patient, "code", "85354-9", "_sort", "date"))
                .containsExactly(bp1, bp2, bp3);
        assertThat(ids("Observation", "patient", patient, "_sort", "status,-date"))
                .containsExactly(bp3, bp2, bp1, glucose);
    }

    @Test
    void pagesStayTheSameWhileRecordsAreWritten() {
        JsonPath first = as(CLINIC_A)
                .queryParam("patient", patient)
                .queryParam("_count", 2)
                .queryParam("_sort", "date")
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(4))
                .extract()
                .jsonPath();
        assertThat(first.getList("entry.resource.id")).containsExactly(bp1, glucose); // the glucose day starts at 00:00
        String next = first.getString("link.find { it.relation == 'next' }.url");
        assertThat(next).contains("_getpages=");

        create("Observation", bp("2026-11-19T08:00:00Z", 120, 80, null)); // sorts first, but the result set is fixed

        JsonPath second = as(CLINIC_A)
                .get(next.replaceFirst("^https?://[^/]+", ""))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(second.getList("entry.resource.id")).hasSize(2).doesNotContain(bp1);
        assertThat(second.getString("link.find { it.relation == 'previous' }.url"))
                .contains("_offset=0");
        assertThat(second.getString("link.find { it.relation == 'next' }")).isNull();

        // Another organisation cannot follow the link.
        as(CLINIC_B).get(next.replaceFirst("^https?://[^/]+", "")).then().statusCode(404);
    }

    @Test
    void summaryCountAndOrganisationIsolation() {
        as(CLINIC_A)
                .queryParam("code", "2339-0")
                .queryParam("patient", patient)
                .queryParam("_summary", "count")
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("entry", nullValue());
        as(CLINIC_B)
                .queryParam("patient", patient)
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(0))
                .body("entry", nullValue());
    }

    @Test
    void deletedAndUpdatedRecordsLeaveAndChangeTheIndex() {
        String id = create("Observation", bp("2026-10-01T08:00:00Z", 199, 121, null));
        assertThat(ids("Observation", "patient", patient, "date", "2026-10-01")).containsExactly(id);
        as(CLINIC_A).delete("/fhir/Observation/" + id).then().statusCode(204);
        assertThat(ids("Observation", "patient", patient, "date", "2026-10-01")).isEmpty();
    }

    @Test
    void badSearchesAre400AndLenientHandlingReportsWhatItIgnored() {
        as(CLINIC_A)
                .queryParam("colour", "red")
                .get("/fhir/Observation")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("colour"));
        as(CLINIC_A)
                .header("Prefer", "handling=lenient")
                .queryParam("colour", "red")
                .queryParam("patient", patient)
                .get("/fhir/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(4))
                .body("entry.find { it.search.mode == 'outcome' }.resource.issue[0].severity", equalTo("warning"));
        as(CLINIC_A)
                .queryParam("date", "yesterday")
                .get("/fhir/Observation")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("date", "2026-11-20T10:00:00")
                .get("/fhir/Observation")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("value-quantity", "lots")
                .get("/fhir/Observation")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("_count", "5000")
                .get("/fhir/Observation")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("patient", patient)
                .queryParam("_total", "weird")
                .get("/fhir/Observation")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("_total"));
        for (String mode : new String[] {"none", "estimate", "accurate"}) {
            as(CLINIC_A)
                    .queryParam("patient", patient)
                    .queryParam("_total", mode)
                    .get("/fhir/Observation")
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(4));
        }
        as(CLINIC_A)
                .queryParam("_sort", "colour")
                .get("/fhir/Observation")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("code:fuzzy", "x")
                .get("/fhir/Observation")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("patient.colour", "x") // a chain into a parameter Patient does not have
                .get("/fhir/Observation")
                .then()
                .statusCode(400);
        as(CLINIC_A)
                .queryParam("_getpages", UUID.randomUUID().toString())
                .get("/fhir/Observation")
                .then()
                .statusCode(404);
    }
}
