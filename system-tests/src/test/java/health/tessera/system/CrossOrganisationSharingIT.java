package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static health.tessera.testkit.KeycloakTokens.CLINIC_B;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.TesseraEndpoints;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sharing across organisations, under consent or referral: organisation A records that its patient lets
 * organisation B see her records (a Consent), or refers her to B (a Task B accepts); B then reads them (read, vread,
 * search, $everything), only hers, only while the consent or referral is in force, only the record types a consent
 * names, and can change none of them. Without either, everything of A's reads as not found.
 */
class CrossOrganisationSharingIT {

    private static final Duration EVENTUAL = Duration.ofSeconds(30);

    private String aliceAtA;
    private String aliceAtB;
    private String bobAtA;
    private String aliceBloodPressure;
    private String aliceCondition;
    private String bobBloodPressure;

    @BeforeEach
    void aliceIsAPatientOfBothOrganisationsAndBobOfAOnly() {
        String born = FhirFixtures.randomBirthDate();
        aliceAtA = FhirCalls.create(
                TesseraEndpoints.gateway(),
                CLINIC_A,
                "Patient",
                FhirFixtures.person("Marisol", "Quintanilla-Voss", born, "330-555-0188", "48 Edgehill Rd"));
        aliceAtB = FhirCalls.create(
                TesseraEndpoints.gateway(),
                CLINIC_B,
                "Patient",
                FhirFixtures.person("Marisol", "Quintanilla-Voss", born, "(330) 555-0188", "48 Edgehill Road"));
        bobAtA = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Patient", FhirFixtures.patient("Hargreave", "Bartholomew"));
        aliceBloodPressure = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(aliceAtA, 151, 97));
        aliceCondition = FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, "Condition", """
                {"resourceType": "Condition", "subject": {"reference": "Patient/%s"},
                 "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]}}""".formatted(aliceAtA));
        bobBloodPressure = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(bobAtA, 122, 79));
        Awaitility.await("records-service knows B's record of Alice")
                .atMost(EVENTUAL)
                .until(() -> as(CLINIC_B)
                                .get("/fhir/Patient/" + aliceAtB + "/$everything")
                                .statusCode()
                        == 200);
    }

    private static RequestSpecification as(KeycloakTokens.Client client) {
        return given().baseUri(TesseraEndpoints.gateway())
                .header("Authorization", KeycloakTokens.bearer(client))
                .contentType("application/fhir+json");
    }

    private static String consent(String patientId, String status, String extraProvision) {
        return """
                {"resourceType": "Consent", "status": "%s",
                 "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                   "code": "patient-privacy"}]},
                 "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
                 "patient": {"reference": "Patient/%s"},
                 "organization": [{"reference": "Organization/org-b"}],
                 "provision": {"type": "permit", "actor": [{"role": {"coding": [{
                   "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP"}]},
                   "reference": {"reference": "Organization/org-b"}}]%s}}""".formatted(status, patientId, extraProvision);
    }

    private ValidatableResponse bReads(String path) {
        return as(CLINIC_B).get(path).then();
    }

    private boolean bSees(String observationOrCondition) {
        return as(CLINIC_B).get(observationOrCondition).statusCode() == 200;
    }

    /** The ids B's search finds (a searchset without entries has no entry element). */
    private List<String> bFinds(String query) {
        return FhirCalls.foundIds(as(CLINIC_B), query);
    }

    private String bEverything() {
        return as(CLINIC_B)
                .get("/fhir/Patient/" + aliceAtB + "/$everything")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    @Test
    void withoutConsentNothingOfAnotherOrganisationIsVisible() {
        bReads("/fhir/Observation/" + aliceBloodPressure).statusCode(404);
        bReads("/fhir/Observation/" + aliceBloodPressure + "/_history/1").statusCode(404);
        assertThat(bFinds("/fhir/Observation?patient=" + aliceAtA)).isEmpty();
        assertThat(bEverything()).doesNotContain(aliceBloodPressure, aliceCondition);
        bReads("/fhir/Patient/" + aliceAtA + "/$everything").statusCode(404);
        bReads("/fhir/Patient/" + aliceAtA).statusCode(404);
        bReads("/fhir/Patient/" + aliceAtA + "/_history").statusCode(404);
    }

    @Test
    void aConsentSharesThePatientsRecordsReadOnlyUntilItIsRevoked() {
        String consentId =
                FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, "Consent", consent(aliceAtA, "active", ""));

        Awaitility.await("B sees Alice's records under consent")
                .atMost(EVENTUAL)
                .until(() -> bSees("/fhir/Observation/" + aliceBloodPressure));
        bReads("/fhir/Observation/" + aliceBloodPressure + "/_history/1").statusCode(200);
        bReads("/fhir/Condition/" + aliceCondition).statusCode(200);
        assertThat(bFinds("/fhir/Observation?patient=" + aliceAtA)).containsExactly(aliceBloodPressure);
        String laterBloodPressure = FhirCalls.create(
                TesseraEndpoints.gateway(), CLINIC_A, "Observation", FhirFixtures.bloodPressure(aliceAtA, 139, 88));
        String nextPage = as(CLINIC_B)
                .get("/fhir/Observation?patient=" + aliceAtA + "&_count=1")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .extract()
                .jsonPath()
                .getString("link.find { it.relation == 'next' }.url");
        assertThat(bFinds("/fhir/Observation?code=http://loinc.org|85354-9&_count=1000"))
                .contains(aliceBloodPressure)
                .doesNotContain(bobBloodPressure);
        // $everything of B's own record of Alice follows her identity into A's records
        Awaitility.await("records-service knows Alice's two records are one person")
                .atMost(EVENTUAL)
                .until(() -> bEverything().contains(aliceBloodPressure));
        assertThat(bEverything()).contains(aliceBloodPressure, aliceCondition).doesNotContain(bobBloodPressure);
        // the whole result of $everything, kept for paging (one page of a hundred, from the start)
        String keptEverything = as(CLINIC_B)
                .get("/fhir/Patient/" + aliceAtB + "/$everything?_count=1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("link.find { it.relation == 'next' }.url");
        keptEverything = keptEverything
                .substring(keptEverything.indexOf("/fhir/"))
                .replace("_count=1&_offset=1", "_count=100&_offset=0");
        assertThat(bReads(keptEverything).statusCode(200).extract().asString())
                .contains(aliceBloodPressure, aliceCondition);
        bReads("/fhir/Patient/" + aliceAtA + "/$everything").statusCode(200).body(containsString(aliceBloodPressure));
        // A's record of Alice herself too (patient-service keeps the grants as well)
        Awaitility.await("patient-service lets B read A's record of Alice")
                .atMost(EVENTUAL)
                .until(() -> bSees("/fhir/Patient/" + aliceAtA));
        bReads("/fhir/Patient/" + aliceAtA).statusCode(200).body("name[0].family", equalTo("Quintanilla-Voss"));
        bReads("/fhir/Patient/" + aliceAtA + "/_history/1").statusCode(200);
        bReads("/fhir/Patient/" + aliceAtA + "/_history").statusCode(200);
        // the consent covers Alice, not A's other patients
        bReads("/fhir/Patient/" + bobAtA).statusCode(404);
        bReads("/fhir/Observation/" + bobBloodPressure).statusCode(404);
        // and reading is all it allows: B cannot change or delete A's records
        String changed = as(CLINIC_A)
                .get("/fhir/Observation/" + aliceBloodPressure)
                .then()
                .extract()
                .asString()
                // only the systolic value: a blind text replace could also hit "151" inside an id
                .replace("\"value\":151,", "\"value\":111,");
        as(CLINIC_B)
                .body(changed)
                .put("/fhir/Observation/" + aliceBloodPressure)
                .then()
                .statusCode(404);
        as(CLINIC_B).delete("/fhir/Observation/" + aliceBloodPressure).then().statusCode(404);
        as(CLINIC_A)
                .get("/fhir/Observation/" + aliceBloodPressure)
                .then()
                .body("component[0].valueQuantity.value", equalTo(151));

        // B may read the consent that names it, but only A changes it
        as(CLINIC_B).get("/fhir/Consent/" + consentId).then().statusCode(200).body("status", equalTo("active"));
        assertThat(as(CLINIC_B)
                        .get("/fhir/Consent?actor=Organization/org-b&patient=" + aliceAtA)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("entry.resource.id"))
                .containsExactly(consentId);
        String revoked = consent(aliceAtA, "inactive", "")
                .replace(
                        "{\"resourceType\": \"Consent\",",
                        "{\"resourceType\": \"Consent\", \"id\": \"" + consentId + "\",");
        as(CLINIC_B).body(revoked).put("/fhir/Consent/" + consentId).then().statusCode(403);
        as(CLINIC_B).delete("/fhir/Consent/" + consentId).then().statusCode(403);

        as(CLINIC_A)
                .header("If-Match", "W/\"1\"")
                .body(revoked)
                .put("/fhir/Consent/" + consentId)
                .then()
                .statusCode(200)
                .body("meta.versionId", equalTo("2"));
        Awaitility.await("B no longer sees Alice's records once the consent is revoked")
                .atMost(EVENTUAL)
                .until(() -> !bSees("/fhir/Observation/" + aliceBloodPressure));
        bReads("/fhir/Condition/" + aliceCondition).statusCode(404);
        Awaitility.await("patient-service hears of the revocation too")
                .atMost(EVENTUAL)
                .until(() -> !bSees("/fhir/Patient/" + aliceAtA));
        assertThat(bFinds("/fhir/Observation?patient=" + aliceAtA)).isEmpty();
        assertThat(bEverything()).doesNotContain(aliceBloodPressure, aliceCondition, laterBloodPressure);
        // a result kept from before the revocation shows nothing more of A's, in a search or in $everything
        assertThat(bFinds(nextPage.substring(nextPage.indexOf("/fhir/")))).isEmpty();
        assertThat(bReads(keptEverything).statusCode(200).extract().asString())
                .doesNotContain(aliceBloodPressure, aliceCondition, laterBloodPressure);
        // the consent's history stays: what was shared, and when
        as(CLINIC_A)
                .get("/fhir/Consent/" + consentId + "/_history/1")
                .then()
                .statusCode(200)
                .body("status", equalTo("active"));
        as(CLINIC_A)
                .header("If-Match", "W/\"1\"")
                .body(revoked)
                .put("/fhir/Consent/" + consentId)
                .then()
                .statusCode(412);
    }

    @Test
    void aConsentLimitedToSomeRecordTypesSharesOnlyThose() {
        String consentId = FhirCalls.create(
                TesseraEndpoints.gateway(),
                CLINIC_A,
                "Consent",
                consent(
                        aliceAtA,
                        "active",
                        ", \"class\": [{\"system\": \"http://hl7.org/fhir/resource-types\","
                                + " \"code\": \"Observation\"}]"));
        Awaitility.await("B sees Alice's Observations")
                .atMost(EVENTUAL)
                .until(() -> bSees("/fhir/Observation/" + aliceBloodPressure));
        bReads("/fhir/Condition/" + aliceCondition).statusCode(404);
        assertThat(bFinds("/fhir/Condition?patient=" + aliceAtA)).isEmpty();
        Awaitility.await("records-service knows Alice's two records are one person")
                .atMost(EVENTUAL)
                .until(() -> bEverything().contains(aliceBloodPressure));
        assertThat(bEverything()).doesNotContain(aliceCondition);

        as(CLINIC_A).delete("/fhir/Consent/" + consentId).then().statusCode(204);
        as(CLINIC_A).get("/fhir/Consent/" + consentId).then().statusCode(410);
        Awaitility.await("deleting the consent ends the sharing")
                .atMost(EVENTUAL)
                .until(() -> !bSees("/fhir/Observation/" + aliceBloodPressure));
    }

    @Test
    void aConsentOutsideItsPeriodSharesNothing() {
        String expired = FhirCalls.create(
                TesseraEndpoints.gateway(),
                CLINIC_A,
                "Consent",
                consent(aliceAtA, "active", ", \"period\": {\"start\": \"2020-01-01\", \"end\": \"2021-01-01\"}"));
        // a second, open consent for another patient shows the events have been applied when it takes effect
        String bobConsent =
                FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, "Consent", consent(bobAtA, "active", ""));
        Awaitility.await("the later consent took effect")
                .atMost(EVENTUAL)
                .until(() -> bSees("/fhir/Observation/" + bobBloodPressure));
        bReads("/fhir/Observation/" + aliceBloodPressure).statusCode(404);
        as(CLINIC_A).delete("/fhir/Consent/" + expired).then().statusCode(204);
        as(CLINIC_A).delete("/fhir/Consent/" + bobConsent).then().statusCode(204);
    }

    @Test
    void consentsTheExchangeCannotEnforceAreRefusedAndNamedInTheOutcome() {
        record Refused(String body, String element) {}
        for (Refused refused : List.of(
                new Refused(
                        consent(aliceAtA, "active", ", \"provision\": [{\"type\": \"deny\"}]"),
                        "Consent.provision.provision"),
                new Refused(
                        consent(
                                aliceAtA,
                                "active",
                                ", \"data\": [{\"meaning\": \"instance\", \"reference\":"
                                        + " {\"reference\": \"Observation/" + aliceBloodPressure + "\"}}]"),
                        "Consent.provision.data"),
                new Refused(
                        consent(
                                aliceAtA,
                                "active",
                                ", \"class\": [{\"system\": \"http://hl7.org/fhir/resource-types\","
                                        + " \"code\": \"Patient\"}]"),
                        "Consent.provision.class[0]"),
                new Refused(
                        consent(aliceAtA, "active", "")
                                .replace(
                                        "\"reference\": {\"reference\": \"Organization/org-b\"}",
                                        "\"reference\": {\"reference\": \"Practitioner/123\"}"),
                        "Consent.provision.actor[0].reference"),
                new Refused(consent(aliceAtA, "active", "").replace("patient-privacy", "research"), "Consent.scope"),
                new Refused(
                        consent(aliceAtA, "active", "").replace("\"Patient/" + aliceAtA + "\"", "\"Group/1\""),
                        "Consent.patient"))) {
            as(CLINIC_A)
                    .body(refused.body())
                    .post("/fhir/Consent")
                    .then()
                    .statusCode(422)
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].expression[0]", equalTo(refused.element()));
        }
        assertThat(as(CLINIC_A)
                        .get("/fhir/Consent?patient=" + aliceAtA)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("entry"))
                .isNullOrEmpty();
        as(CLINIC_A)
                .body("{\"resourceType\": \"Consent\", \"status\": ")
                .post("/fhir/Consent")
                .then()
                .statusCode(400);
        as(CLINIC_A).get("/fhir/Consent?foo=bar").then().statusCode(400);
    }

    @Test
    void anotherOrganisationsConsentReadsAsIfItDidNotExist() {
        String consentId = FhirCalls.create(
                TesseraEndpoints.gateway(),
                CLINIC_A,
                "Consent",
                consent(aliceAtA, "active", "").replace("Organization/org-b\"}}]", "Organization/org-z\"}}]"));
        as(CLINIC_A)
                .get("/fhir/Consent/" + consentId)
                .then()
                .statusCode(200)
                // the custodian is the caller's organisation, whatever the body said
                .body("organization[0].reference", equalTo("Organization/org-a"));
        bReads("/fhir/Consent/" + consentId).statusCode(404);
        bReads("/fhir/Consent/" + consentId + "/_history/1").statusCode(404);
        assertThat(bFinds("/fhir/Consent?patient=" + aliceAtA)).doesNotContain(consentId);
        as(CLINIC_A).delete("/fhir/Consent/" + consentId).then().statusCode(204);
    }

    private static String referral(String patientId, String status, String id) {
        return """
                {"resourceType": "Task", %s"status": "%s", "intent": "order",
                 "code": {"coding": [{"system": "http://snomed.info/sct", "code": "3457005", "display": "Referral"}]},
                 "for": {"reference": "Patient/%s"},
                 "requester": {"reference": "Organization/org-b"},
                 "owner": {"reference": "Organization/org-b"}}""".formatted(id == null ? "" : "\"id\": \"" + id + "\", ", status, patientId);
    }

    @Test
    void anAcceptedReferralSharesTheReferringOrganisationsRecordsUntilItIsFinished() {
        String taskId =
                FhirCalls.create(TesseraEndpoints.gateway(), CLINIC_A, "Task", referral(aliceAtA, "requested", null));
        // the requester is the caller's organisation, whatever the body said
        as(CLINIC_A)
                .get("/fhir/Task/" + taskId)
                .then()
                .statusCode(200)
                .body("requester.reference", equalTo("Organization/org-a"));
        // B sees the referral in its work list, but not yet the records
        assertThat(bFinds("/fhir/Task?owner=Organization/org-b&status=requested"))
                .contains(taskId);
        bReads("/fhir/Observation/" + aliceBloodPressure).statusCode(404);

        // the owner may only move the task along, not redirect it or cancel it
        as(CLINIC_B)
                .body(referral(bobAtA, "accepted", taskId))
                .put("/fhir/Task/" + taskId)
                .then()
                .statusCode(403);
        as(CLINIC_B)
                .body(referral(aliceAtA, "cancelled", taskId))
                .put("/fhir/Task/" + taskId)
                .then()
                .statusCode(403);
        as(CLINIC_B).delete("/fhir/Task/" + taskId).then().statusCode(403);
        as(CLINIC_B)
                .body(referral(aliceAtA, "accepted", taskId))
                .put("/fhir/Task/" + taskId)
                .then()
                .statusCode(200)
                .body("status", equalTo("accepted"))
                .body("requester.reference", equalTo("Organization/org-a"));
        Awaitility.await("B sees Alice's records once it accepted the referral")
                .atMost(EVENTUAL)
                .until(() -> bSees("/fhir/Observation/" + aliceBloodPressure));
        bReads("/fhir/Condition/" + aliceCondition).statusCode(200);
        bReads("/fhir/Observation/" + bobBloodPressure).statusCode(404);

        as(CLINIC_B)
                .body(referral(aliceAtA, "completed", taskId))
                .put("/fhir/Task/" + taskId)
                .then()
                .statusCode(200);
        Awaitility.await("the finished referral shares nothing more")
                .atMost(EVENTUAL)
                .until(() -> !bSees("/fhir/Observation/" + aliceBloodPressure));
        as(CLINIC_A)
                .get("/fhir/Task/" + taskId + "/_history/2")
                .then()
                .statusCode(200)
                .body("status", equalTo("accepted"));
    }

    @Test
    void anotherOrganisationsReferralReadsAsIfItDidNotExistAndBadReferralsAreNamed() {
        String taskId = FhirCalls.create(
                TesseraEndpoints.gateway(),
                CLINIC_A,
                "Task",
                referral(aliceAtA, "requested", null)
                        .replace(
                                "\"owner\": {\"reference\": \"Organization/org-b\"}",
                                "\"owner\": {\"reference\": \"Organization/org-z\"}"));
        bReads("/fhir/Task/" + taskId).statusCode(404);
        as(CLINIC_B)
                .body(referral(aliceAtA, "accepted", taskId))
                .put("/fhir/Task/" + taskId)
                .then()
                .statusCode(404);
        assertThat(bFinds("/fhir/Task?patient=" + aliceAtA)).doesNotContain(taskId);
        as(CLINIC_A)
                .body(referral(aliceAtA, "requested", null)
                        .replace(
                                "\"owner\": {\"reference\": \"Organization/org-b\"}",
                                "\"owner\": {\"reference\": \"Practitioner/7\"}"))
                .post("/fhir/Task")
                .then()
                .statusCode(422)
                .body("issue[0].expression[0]", equalTo("Task.owner"));
        as(CLINIC_A)
                .body(referral(aliceAtA, "requested", null).replace("\"intent\": \"order\",", ""))
                .post("/fhir/Task")
                .then()
                .statusCode(422)
                .body("issue[0].expression[0]", equalTo("Task.intent"));
        as(CLINIC_A).get("/fhir/Task?requester=x").then().statusCode(400);
    }
}
