package health.tessera.records;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/** Writes are validated against the base R4 profiles: 422 naming the element, or skipped on request. */
@QuarkusTest
class ValidationIT {

    private static RequestSpecification asClinicA() {
        return given().header("Authorization", bearer(CLINIC_A)).contentType("application/fhir+json; charset=UTF-8");
    }

    @Test
    void aMissingRequiredElementIs422NamingIt() {
        asClinicA()
                .body("{\"resourceType\":\"Observation\",\"code\":{\"text\":\"weight\"}}")
                .post("/fhir/Observation")
                .then()
                .statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue.severity", hasItem("error"))
                .body("issue.diagnostics.join(' ')", containsString("Observation.status"))
                .body("issue[0].expression[0]", containsString("Observation"));
    }

    @Test
    void aCodeOutsideARequiredBindingIs422() {
        asClinicA()
                .body("""
                {"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/p-1"},
                 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"bogus"}]}}
                """)
                .post("/fhir/AllergyIntolerance")
                .then()
                .statusCode(422)
                .body("issue[0].expression[0]", containsString("clinicalStatus"));
    }

    @Test
    void aStringWithUPlus0000Is422EvenWithValidationSkipped() {
        // PostgreSQL's text cannot hold the character: it must not get as far as the database (a 500).
        String practitioner = "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Nul\\u0000Byte\"}]}";
        asClinicA()
                .header("X-Tessera-Validation", "skip")
                .body(practitioner)
                .post("/fhir/Practitioner")
                .then()
                .statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("U+0000"));
        asClinicA()
                .header("X-Tessera-Validation", "skip")
                .body("""
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:0c3b3c3e-0000-4000-8000-000000000001","resource":%s,
                   "request":{"method":"POST","url":"Practitioner"}}]}
                """.formatted(practitioner))
                .post("/fhir")
                .then()
                .statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void aRelativeReferenceWithoutAValidIdIs422EvenWithValidationSkipped() {
        // HAPI's validator lets "Patient/" through: the record would be stored outside its patient's compartment.
        for (String reference : new String[] {"Patient/", "Patient/two words", "Patient//x"}) {
            for (String validation : new String[] {"on", "skip"}) {
                asClinicA()
                        .header("X-Tessera-Validation", validation)
                        .body("""
                                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                                 "subject":{"reference":"%s"}}""".formatted(reference))
                        .post("/fhir/Observation")
                        .then()
                        .statusCode(422)
                        .body("resourceType", equalTo("OperationOutcome"))
                        // with validation on, "Patient//x" already fails in HAPI's validator (a 500 before)
                        .body(
                                "issue[0].diagnostics",
                                validation.equals("skip")
                                        ? containsString("'" + reference + "'")
                                        : containsString(reference.equals("Patient//x") ? "validat" : reference));
            }
        }
        // what stays valid: ids with '-' and '.', a version, absolute and logical references
        for (String reference : new String[] {
            "Patient/p-1.a",
            "Patient/p-1/_history/2",
            "https://other.example/fhir/Patient/x",
            "urn:uuid:0c3b3c3e-0000-4000-8000-000000000009"
        }) {
            asClinicA()
                    .body("""
                            {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                             "subject":{"reference":"%s"}}""".formatted(reference))
                    .post("/fhir/Observation")
                    .then()
                    .statusCode(201);
        }
    }

    @Test
    void aBulkLoadMaySkipValidationAndValidRecordsPass() {
        asClinicA()
                .header("X-Tessera-Validation", "skip")
                .body("{\"resourceType\":\"Observation\",\"code\":{\"text\":\"weight\"}}")
                .post("/fhir/Observation")
                .then()
                .statusCode(201);
        asClinicA().body("""
                {"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/p-1"},
                 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"91936005","display":"Allergy to penicillin"}]}}
                """).post("/fhir/AllergyIntolerance").then().statusCode(201);
    }
}
