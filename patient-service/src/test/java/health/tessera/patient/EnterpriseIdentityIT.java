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
import health.tessera.testkit.KeycloakTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The master patient index on patient-service's test database with real Keycloak tokens: records of one person
 * from two organisations share an enterprise identity with an explained link and a golden record; borderline
 * pairs go to the review queue, whose "not a match" is remembered; merges are undone; concurrent registrations of
 * one new person end in one identity; admin APIs refuse everyone but operators. Each test uses a fresh birth date,
 * so records of earlier runs never match.
 */
@QuarkusTest
class EnterpriseIdentityIT {

    @Inject
    AgroalDataSource dataSource;

    private static String person(
            String given, String family, String sex, String birthDate, String phone, String line, String identifier) {
        return """
                {"resourceType":"Patient",
                 "identifier":[{"system":"urn:tessera:test:mrn","value":"%s"}],
                 "name":[{"use":"official","family":"%s","given":["%s"]}],"gender":"%s","birthDate":"%s"
                 %s%s}
                """.formatted(
                        identifier,
                        family,
                        given,
                        sex,
                        birthDate,
                        phone == null ? "" : ",\"telecom\":[{\"system\":\"phone\",\"value\":\"" + phone + "\"}]",
                        address(line));
    }

    /** An address: {@code line} alone (in Columbus, OH) or {@code line|city|postcode|state}. */
    private static String address(String line) {
        if (line == null) {
            return "";
        }
        String[] parts = (line.contains("|") ? line : line + "|Columbus|43004|OH").split("\\|");
        return ",\"address\":[{\"line\":[\"%s\"],\"city\":\"%s\",\"postalCode\":\"%s\",\"state\":\"%s\"}]"
                .formatted((Object[]) parts);
    }

    private static String register(KeycloakTokens.Client client, String body) {
        return given().header("Authorization", bearer(client))
                .contentType("application/fhir+json")
                .body(body)
                .post("/fhir/Patient")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    private static JsonPath link(String patientId) {
        return given().header("Authorization", bearer(OPERATOR))
                .get("/mpi/links/" + patientId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static String enterpriseOf(String patientId) {
        return link(patientId).getString("enterpriseId");
    }

    /** $merge's input: {@code source} into {@code target}. */
    private static String mergeParameters(String source, String target) {
        return """
                {"resourceType":"Parameters","parameter":[
                  {"name":"source-patient","valueReference":{"reference":"Patient/%s"}},
                  {"name":"target-patient","valueReference":{"reference":"Patient/%s"}}]}
                """.formatted(source, target);
    }

    private static String mrn() {
        return "MRN-" + UUID.randomUUID();
    }

    @Test
    void onePersonFromTwoOrganisationsIsOneIdentityWithAnExplainedLinkAndAGoldenRecord() throws Exception {
        String born = FhirFixtures.randomBirthDate();
        String a = register(
                CLINIC_A, person("Ines", "Castellano", "female", born, "614-555-0101", "22 Birch Road", mrn()));
        String b = register(
                CLINIC_B, person("Inés", "Castellano", "female", born, "(614) 555-0101", "22 Birch Rd", mrn()));

        String enterprise = enterpriseOf(a);
        assertThat(enterpriseOf(b)).isEqualTo(enterprise);
        JsonPath why = link(b);
        assertThat(why.getString("current.reason")).isEqualTo("auto");
        assertThat(why.getString("current.matchedPatientId")).isEqualTo(a);
        assertThat(why.getDouble("current.probability")).isGreaterThan(0.9);
        assertThat(why.getList("current.explanation.fields.field", String.class))
                .contains("GIVEN_NAME", "FAMILY_NAME", "BIRTH_DATE", "ADDRESS", "PHONE");
        assertThat(why.getString("current.explanation.band")).isEqualTo("MATCH");
        assertThat(why.getList("otherRecords", String.class)).containsExactly(a);

        // the golden record: readable by both organisations (each has a record in it), by no one else's id guess
        JsonPath golden = given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + enterprise)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(golden.getString("meta.tag[0].code")).isEqualTo("golden");
        assertThat(golden.getList("identifier.value")).hasSize(2);
        assertThat(golden.getList("link.other.reference")).containsExactlyInAnyOrder("Patient/" + a, "Patient/" + b);
        assertThat(golden.getString("birthDate")).isEqualTo(born);
        // the source records stay each organisation's own
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + b)
                .then()
                .statusCode(404);

        // registered and linked events in the outbox, keyed by the enterprise id
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT event_type FROM outbox_event WHERE event_key = ? ORDER BY seq")) {
            select.setString(1, enterprise);
            List<String> types = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
            assertThat(types)
                    .containsExactly(
                            "tessera.patient.registered.v1",
                            "tessera.patient.registered.v1",
                            "tessera.patient.linked.v1");
        }
    }

    @Test
    void aDeletedRecordLeavesItsIdentityAndSearchesButKeepsItsHistory() throws Exception {
        String born = FhirFixtures.randomBirthDate();
        String mrn = mrn();
        String a = register(
                CLINIC_A, person("Rosalind", "Okonkwo-Hale", "female", born, "614-555-0177", "9 Lark Lane", mrn));
        String b = register(
                CLINIC_B, person("Rosalind", "Okonkwo-Hale", "female", born, "614-555-0177", "9 Lark Ln", mrn()));
        String enterprise = enterpriseOf(a);
        assertThat(enterpriseOf(b)).isEqualTo(enterprise);

        // only the owner deletes; another organisation's attempt is a 404, as for a record that does not exist
        given().header("Authorization", bearer(CLINIC_B))
                .delete("/fhir/Patient/" + a)
                .then()
                .statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"));
        given().header("Authorization", bearer(CLINIC_A))
                .delete("/fhir/Patient/" + a)
                .then()
                .statusCode(204);
        given().header("Authorization", bearer(CLINIC_A))
                .delete("/fhir/Patient/" + a)
                .then()
                .statusCode(204); // again: nothing changes

        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + a)
                .then()
                .statusCode(410)
                .body("resourceType", equalTo("OperationOutcome"));
        given().header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Patient/" + a)
                .then()
                .statusCode(404);
        // the history stays: version 1 readable, version 2 is the deletion
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + a + "/_history/1")
                .then()
                .statusCode(200)
                .body("name[0].family", equalTo("Okonkwo-Hale"));
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + a + "/_history/2")
                .then()
                .statusCode(410);
        JsonPath history = given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + a + "/_history")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(history.getList("entry.request.method")).containsExactly("DELETE", "POST");
        assertThat(history.getString("entry[0].resource")).isNull();

        // it left the identity: the golden record is B's alone, and A no longer has a record in it
        JsonPath golden = given().header("Authorization", bearer(CLINIC_B))
                .get("/fhir/Patient/" + enterprise)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(golden.getList("link.other.reference")).containsExactly("Patient/" + b);
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + enterprise)
                .then()
                .statusCode(404);
        // out of searches and identity operations; its identifier may name a new record
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient?family=Okonkwo-Hale")
                .then()
                .statusCode(200)
                .body("entry.resource.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(a)));
        given().header("Authorization", bearer(OPERATOR))
                .contentType("application/fhir+json")
                .body(mergeParameters(a, b))
                .post("/fhir/Patient/$merge")
                .then()
                .statusCode(404);
        String again = register(
                CLINIC_A, person("Rosalind", "Okonkwo-Hale", "female", born, "614-555-0177", "9 Lark Lane", mrn));
        assertThat(again).isNotEqualTo(a);

        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT count(*) FROM outbox_event WHERE event_key = ? AND event_type = ?")) {
            select.setString(1, enterprise);
            select.setString(2, "tessera.patient.deleted.v1");
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("one deleted event, keyed by the identity")
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void aBorderlinePairIsReviewedAndNotAMatchIsRemembered() {
        String born = transposableBirthDate();
        String swapped = transposed(born);
        String c = register(
                CLINIC_A,
                person(
                        "Teodoro",
                        "Vasquez-Lind",
                        "male",
                        born,
                        "503-555-0188",
                        "5 Harbor View|Portland|97201|OR",
                        mrn()));
        String g = register(
                CLINIC_B, person("Teodoro", "Vasquez", "male", swapped, null, "77 Mill Street|Salem|97301|OR", mrn()));
        assertThat(enterpriseOf(g)).isNotEqualTo(enterpriseOf(c));

        JsonPath queue = given().header("Authorization", bearer(OPERATOR))
                .get("/mpi/reviews?status=open&limit=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        int index = queue.getList("patientId").indexOf(g);
        assertThat(index).as("a review task for the new record").isNotNegative();
        assertThat(queue.getString("[" + index + "].candidateId")).isEqualTo(c);
        assertThat(queue.getString("[" + index + "].explanation.band")).isEqualTo("REVIEW");
        String task = queue.getString("[" + index + "].id");

        given().header("Authorization", bearer(OPERATOR))
                .contentType("application/json")
                .body("{\"decision\":\"not-a-match\"}")
                .post("/mpi/reviews/" + task + "/decision")
                .then()
                .statusCode(200)
                .body("status", equalTo("not-a-match"));
        given().header("Authorization", bearer(OPERATOR))
                .contentType("application/json")
                .body("{\"decision\":\"match\"}")
                .post("/mpi/reviews/" + task + "/decision")
                .then()
                .statusCode(409)
                .body("resourceType", equalTo("OperationOutcome"));

        // new data that would now make the matcher sure: the decision still keeps them apart
        String sameAddressAndPhone =
                person("Teodoro", "Vasquez", "male", swapped, "503-555-0188", "77 Mill Street|Salem|97301|OR", mrn());
        updateWithIdentifierOf(CLINIC_B, g, sameAddressAndPhone);
        assertThat(enterpriseOf(g)).isNotEqualTo(enterpriseOf(c));
    }

    @Test
    void aRecordThatGainsEvidenceIsLinkedWhenNoOneDecidedOtherwise() {
        String born = transposableBirthDate();
        String c = register(
                CLINIC_A,
                person(
                        "Marisol",
                        "Achterberg",
                        "female",
                        born,
                        "503-555-0177",
                        "5 Harbor View|Portland|97201|OR",
                        mrn()));
        String g = register(
                CLINIC_B,
                person(
                        "Marisol",
                        "Achterberg-Ruiz",
                        "female",
                        transposed(born),
                        null,
                        "77 Mill Street|Salem|97301|OR",
                        mrn()));
        assertThat(enterpriseOf(g)).isNotEqualTo(enterpriseOf(c));

        updateWithIdentifierOf(
                CLINIC_B,
                g,
                person(
                        "Marisol",
                        "Achterberg",
                        "female",
                        born,
                        "503-555-0177",
                        "5 Harbor View|Portland|97201|OR",
                        mrn()));
        assertThat(enterpriseOf(g)).isEqualTo(enterpriseOf(c));
        assertThat(link(g).getString("current.reason")).isEqualTo("auto");
        assertThat(link(g).getInt("current.linkVersion")).isEqualTo(2);
    }

    /** A random birth date whose day and month can be swapped into another valid date. */
    private static String transposableBirthDate() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        int month = random.nextInt(1, 12);
        int day = random.nextInt(month + 1, 13);
        return String.format("%d-%02d-%02d", random.nextInt(1940, 2005), month, day);
    }

    private static String transposed(String date) {
        return date.substring(0, 5) + date.substring(8, 10) + "-" + date.substring(5, 7);
    }

    private static void updateWithIdentifierOf(KeycloakTokens.Client client, String id, String body) {
        String withId = body.replaceFirst(
                "\\{\"resourceType\":\"Patient\",", "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",");
        given().header("Authorization", bearer(client))
                .contentType("application/fhir+json")
                .header("If-Match", "W/\"1\"")
                .body(withId)
                .put("/fhir/Patient/" + id)
                .then()
                .statusCode(200)
                .body("meta.versionId", equalTo("2"));
    }

    @Test
    void aMergeMovesEveryRecordAndUnmergeRestoresBoth() {
        String bornA = FhirFixtures.randomBirthDate();
        String albert = register(CLINIC_A, person("Albert", "Nguyen", "male", bornA, null, "1 First Ave", mrn()));
        String bert = register(
                CLINIC_A, person("Bert", "Nguyen", "male", FhirFixtures.randomBirthDate(), null, "9 Ninth St", mrn()));
        String albertIdentity = enterpriseOf(albert);
        String bertIdentity = enterpriseOf(bert);
        assertThat(bertIdentity).isNotEqualTo(albertIdentity);

        String merge = mergeParameters(bert, albert);
        // only operators merge
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(merge)
                .post("/fhir/Patient/$merge")
                .then()
                .statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
        JsonPath merged = given().header("Authorization", bearer(OPERATOR))
                .contentType("application/fhir+json")
                .body(merge)
                .post("/fhir/Patient/$merge")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String mergeId = merged.getString("parameter.find { it.name == 'merge' }.valueString");
        assertThat(enterpriseOf(bert)).isEqualTo(albertIdentity);
        assertThat(link(bert).getString("current.reason")).isEqualTo("merge");
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + albertIdentity)
                .then()
                .statusCode(200)
                .body("link.size()", equalTo(2));
        // the identity merged away has no golden record any more
        given().header("Authorization", bearer(OPERATOR))
                .get("/fhir/Patient/" + bertIdentity)
                .then()
                .statusCode(404);
        given().header("Authorization", bearer(OPERATOR))
                .contentType("application/fhir+json")
                .body(merge)
                .post("/fhir/Patient/$merge")
                .then()
                .statusCode(409);

        given().header("Authorization", bearer(OPERATOR))
                .contentType("application/fhir+json")
                .body("""
                        {"resourceType":"Parameters","parameter":[{"name":"merge","valueString":"%s"}]}
                        """.formatted(mergeId))
                .post("/fhir/Patient/$unmerge")
                .then()
                .statusCode(200);
        assertThat(enterpriseOf(bert)).isEqualTo(bertIdentity);
        assertThat(enterpriseOf(albert)).isEqualTo(albertIdentity);
        JsonPath history = link(bert);
        assertThat(history.getString("current.reason")).isEqualTo("unmerge");
        assertThat(history.getList("history.reason")).containsExactly("merge", "new");
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/" + bertIdentity)
                .then()
                .statusCode(200)
                .body("link[0].other.reference", equalTo("Patient/" + bert));
    }

    @Test
    void manualUnlinkKeepsTheRecordApartAndRelinkBringsItBack() {
        String born = FhirFixtures.randomBirthDate();
        String a = register(
                CLINIC_A, person("Oluwaseun", "Adeyemi", "male", born, "312-555-0123", "8 Lake Shore Drive", mrn()));
        String b = register(
                CLINIC_B, person("Oluwaseun", "Adeyemi", "male", born, "(312) 555-0123", "8 Lake Shore Drive", mrn()));
        String shared = enterpriseOf(a);
        assertThat(enterpriseOf(b)).isEqualTo(shared);

        String own = given().header("Authorization", bearer(OPERATOR))
                .delete("/mpi/links/" + b)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("enterpriseId");
        assertThat(own).isNotEqualTo(shared);
        given().header("Authorization", bearer(OPERATOR))
                .delete("/mpi/links/" + b)
                .then()
                .statusCode(409);

        given().header("Authorization", bearer(OPERATOR))
                .contentType("application/json")
                .body("{\"enterpriseId\":\"" + shared + "\"}")
                .put("/mpi/links/" + b)
                .then()
                .statusCode(200)
                .body("enterpriseId", equalTo(shared))
                .body("current.reason", equalTo("manual"));
    }

    @Test
    void twoRegistrationsOfOneNewPersonAtTheSameMomentEndInOneIdentity() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String born = FhirFixtures.randomBirthDate();
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<String> fromA = CompletableFuture.supplyAsync(
                        () -> registerAfter(
                                start,
                                CLINIC_A,
                                person(
                                        "Zofia",
                                        "Wieczorek",
                                        "female",
                                        born,
                                        "216-555-0142",
                                        "40 Euclid Avenue",
                                        mrn())),
                        pool);
                CompletableFuture<String> fromB = CompletableFuture.supplyAsync(
                        () -> registerAfter(
                                start,
                                CLINIC_B,
                                person("Zofia", "Wieczorek", "female", born, "216-555-0142", "40 Euclid Ave", mrn())),
                        pool);
                assertThat(enterpriseOf(fromA.get())).as("round %d", round).isEqualTo(enterpriseOf(fromB.get()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String registerAfter(CyclicBarrier start, KeycloakTokens.Client client, String body) {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return register(client, body);
    }

    @Test
    void anIdentifierNamesOnePerson() {
        String value = mrn();
        String born = FhirFixtures.randomBirthDate();
        String first = register(CLINIC_A, person("Hedda", "Lindqvist", "female", born, null, null, value));
        // the organisation's own second record with it: 409 naming the first
        given().header("Authorization", bearer(CLINIC_A))
                .contentType("application/fhir+json")
                .body(person("Hedvig", "Sandberg", "female", FhirFixtures.randomBirthDate(), null, null, value))
                .post("/fhir/Patient")
                .then()
                .statusCode(409)
                .body("issue[0].diagnostics", containsString(first));
        // another organisation's different person with it: 409 without the id it may not see
        given().header("Authorization", bearer(CLINIC_B))
                .contentType("application/fhir+json")
                .body(person("Hedvig", "Sandberg", "female", FhirFixtures.randomBirthDate(), null, null, value))
                .post("/fhir/Patient")
                .then()
                .statusCode(409)
                .body("issue[0].diagnostics", org.hamcrest.Matchers.not(containsString(first)));
    }

    @Test
    void adminApisRefuseEveryoneButOperators() {
        given().header("Authorization", bearer(CLINIC_A))
                .get("/mpi/reviews")
                .then()
                .statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
        String id = register(CLINIC_A, FhirFixtures.patient("Moreau", "Camille"));
        given().header("Authorization", bearer(CLINIC_A))
                .get("/mpi/links/" + id)
                .then()
                .statusCode(403);
        given().header("Authorization", bearer(CLINIC_A))
                .delete("/mpi/links/" + id)
                .then()
                .statusCode(403);
        given().header("Authorization", bearer(CLINIC_B))
                .contentType("application/json")
                .body("{\"decision\":\"match\"}")
                .post("/mpi/reviews/" + UUID.randomUUID() + "/decision")
                .then()
                .statusCode(403);
        given().get("/mpi/reviews").then().statusCode(401);
        given().header("Authorization", bearer(OPERATOR))
                .get("/mpi/reviews?status=maybe")
                .then()
                .statusCode(400);
    }

    @Test
    void pixCrossReferencesTheIdentifiersOfOnePerson() {
        String born = FhirFixtures.randomBirthDate();
        String mrnA = mrn();
        String mrnB = mrn();
        String a = register(
                CLINIC_A, person("Anneliese", "Brandauer", "female", born, "608-555-0110", "3 Lake Street", mrnA));
        register(CLINIC_B, person("Anneliese", "Brandauer", "female", born, "608-555-0110", "3 Lake St", mrnB));
        String enterprise = enterpriseOf(a);

        JsonPath pix = given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/$ihe-pix?sourceIdentifier=urn:tessera:test:mrn|" + mrnA)
                .then()
                .statusCode(200)
                .body("resourceType", equalTo("Parameters"))
                .extract()
                .jsonPath();
        assertThat(pix.getList("parameter.findAll { it.name == 'targetIdentifier' }.valueIdentifier.value"))
                .containsExactly(mrnB);
        assertThat(pix.getList("parameter.findAll { it.name == 'targetId' }.valueReference.reference"))
                .containsExactlyInAnyOrder("Patient/" + a, "Patient/" + enterprise);
        // another organisation's identifier is not a key org A may look up with
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/$ihe-pix?sourceIdentifier=urn:tessera:test:mrn|" + mrnB)
                .then()
                .statusCode(404);
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/$ihe-pix?sourceIdentifier=" + mrnA)
                .then()
                .statusCode(400);
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/$ihe-pix?sourceIdentifier=urn:tessera:test:mrn|" + mrnA
                        + "&targetSystem=urn:tessera:test:mrn")
                .then()
                .statusCode(200)
                .body(
                        "parameter.findAll { it.name == 'targetIdentifier' }.valueIdentifier.value",
                        equalTo(List.of(mrnB)));
        // PIXm: a target domain nobody uses is 403, a source domain nobody uses 404 "code-invalid"
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/$ihe-pix?sourceIdentifier=urn:tessera:test:mrn|" + mrnA + "&targetSystem=urn:other")
                .then()
                .statusCode(403)
                .body("issue[0].code", equalTo("code-invalid"));
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient/$ihe-pix?sourceIdentifier=urn:unknown:domain|" + mrnA)
                .then()
                .statusCode(404)
                .body("issue[0].code", equalTo("code-invalid"));
    }

    @Test
    void searchFindsTheOrganisationsPatientsByDemographics() {
        String born = FhirFixtures.randomBirthDate();
        String family =
                "Quennell" + UUID.randomUUID().toString().substring(0, 6).replaceAll("[0-9-]", "x");
        String mine =
                register(CLINIC_A, person("Rosalind", family, "female", born, "555-0100", "12 Orchard Way", mrn()));
        register(CLINIC_B, person("Rosalind", family, "female", born, "555-0100", "12 Orchard Way", mrn()));

        for (String query : List.of(
                "family=" + family,
                "family=" + family.substring(0, 6).toLowerCase(),
                "name=rosa&family=" + family,
                "given=Rosalind&birthdate=" + born + "&family=" + family,
                "family=" + family + "&birthdate=ge" + born.substring(0, 4),
                "family=" + family + "&gender=female",
                "family=" + family + "&phone=555-0100",
                "family=" + family + "&address-city=colum",
                "family:exact=" + family)) {
            given().header("Authorization", bearer(CLINIC_A))
                    .get("/fhir/Patient?" + query)
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(1))
                    .body("entry[0].resource.id", equalTo(mine));
        }
        for (String query : List.of(
                "family=" + family + "&gender=male",
                "family=" + family + "&birthdate=lt" + born,
                "family:exact=" + family.toLowerCase(),
                "family=" + family + "&address-city=Dayton")) {
            given().header("Authorization", bearer(CLINIC_A))
                    .get("/fhir/Patient?" + query)
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(0));
        }
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient?birthdate=yesterday")
                .then()
                .statusCode(400);
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient?shoe-size=9")
                .then()
                .statusCode(400);
        given().header("Authorization", bearer(CLINIC_A))
                .get("/fhir/Patient?gender:text=f")
                .then()
                .statusCode(400);
    }
}
