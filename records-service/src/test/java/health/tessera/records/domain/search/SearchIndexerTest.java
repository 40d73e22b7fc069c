package health.tessera.records.domain.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class SearchIndexerTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final SearchIndexer INDEXER = new SearchIndexer(new SearchParameterRegistry(FHIR), FHIR);

    private static List<IndexEntry.Token> codeRows(String code) {
        Observation observation = FHIR.newJsonParser().parseResource(Observation.class, """
                {"resourceType":"Observation","status":"final","code":%s}""".formatted(code));
        return INDEXER.index(observation).stream()
                .filter(e -> e instanceof IndexEntry.Token && e.param().equals("code"))
                .map(IndexEntry.Token.class::cast)
                .toList();
    }

    @Test
    void aConceptsTextThatACodingDisplaysNeedsNoRowOfItsOwn() {
        assertThat(codeRows("""
                        {"coding":[{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure panel"}],
                         "text":"blood pressure PANEL"}"""))
                .containsExactly(new IndexEntry.Token("code", "http://loinc.org", "85354-9", "Blood pressure panel"));
    }

    @Test
    void aUnionOfParametersWritesNoRowsOfItsOwn() {
        Observation panel = FHIR.newJsonParser().parseResource(Observation.class, """
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
                 "component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},
                               "valueQuantity":{"value":150,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}""");
        List<String> params =
                INDEXER.index(panel).stream().map(IndexEntry::param).toList();
        assertThat(params).contains("code", "component-code", "component-value-quantity");
        assertThat(params).doesNotContain("combo-code", "combo-value-quantity");
    }

    @Test
    void aReferenceNarrowedToPatientsWritesNoRowsOfItsOwn() {
        Observation observation = FHIR.newJsonParser().parseResource(Observation.class, """
                {"resourceType":"Observation","status":"final","code":{"text":"x"},
                 "subject":{"reference":"Patient/0190a5b6-0000-7000-8000-000000000001"}}""");
        assertThat(INDEXER.index(observation).stream()
                        .filter(e -> e instanceof IndexEntry.Ref)
                        .toList())
                .containsExactly(new IndexEntry.Ref("subject", "Patient", "0190a5b6-0000-7000-8000-000000000001"));
    }

    @Test
    void aReferenceWithoutAnIdIsRefusedInARecordWrittenHereAndLeftOutOfAPatientReceived() {
        org.hl7.fhir.r4.model.Patient patient =
                FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.Patient.class, """
                        {"resourceType":"Patient","name":[{"family":"Doe"}],
                         "generalPractitioner":[{"reference":"Practitioner/"},{"reference":"Practitioner/pr-1"}]}""");
        assertThatThrownBy(() -> INDEXER.index(patient))
                .isInstanceOf(health.tessera.fhir.FhirException.class)
                .hasMessageContaining("'Practitioner/'");
        assertThat(INDEXER.indexAsReceived(patient).stream()
                        .filter(e -> e instanceof IndexEntry.Ref)
                        .toList())
                .containsExactly(new IndexEntry.Ref("general-practitioner", "Practitioner", "pr-1"));
    }

    @Test
    void aConceptsOwnTextKeepsItsRow() {
        assertThat(codeRows("""
                        {"coding":[{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure panel"}],
                         "text":"BP"}"""))
                .containsExactly(
                        new IndexEntry.Token("code", "http://loinc.org", "85354-9", "Blood pressure panel"),
                        new IndexEntry.Token("code", null, null, "BP"));
        assertThat(codeRows("""
                        {"text":"Blood pressure, by the patient"}"""))
                .containsExactly(new IndexEntry.Token("code", null, null, "Blood pressure, by the patient"));
    }
}
