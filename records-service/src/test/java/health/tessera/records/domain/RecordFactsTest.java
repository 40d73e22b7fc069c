package health.tessera.records.domain;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.events.RecordCommitted.MeasuredValue;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;

class RecordFactsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void bloodPressurePanelGivesPatientCodesTimeAndComponentValues() {
        Observation bp = FHIR.newJsonParser().parseResource(Observation.class, """
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
                 "subject":{"reference":"Patient/p-1"},"effectiveDateTime":"2026-11-20T09:30:00Z",
                 "component":[
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":150,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":95,"unit":"mmHg"}}]}
                """);
        assertThat(RecordFacts.patientId(bp)).isEqualTo("p-1");
        assertThat(RecordFacts.codes(bp)).containsExactly("http://loinc.org|85354-9");
        assertThat(RecordFacts.effective(bp)).hasToString("2026-11-20T09:30:00Z");
        assertThat(RecordFacts.values(bp))
                .containsExactly(
                        new MeasuredValue("http://loinc.org|8480-6", 150, "mm[Hg]"),
                        new MeasuredValue("http://loinc.org|8462-4", 95, "mmHg"));
    }

    @Test
    void conditionUsesSubjectAndOnset() {
        Condition condition = FHIR.newJsonParser().parseResource(Condition.class, """
                {"resourceType":"Condition","subject":{"reference":"Patient/p-2"},
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]},
                 "onsetDateTime":"2019-03-01"}
                """);
        assertThat(RecordFacts.patientId(condition)).isEqualTo("p-2");
        assertThat(RecordFacts.codes(condition)).containsExactly("http://snomed.info/sct|38341003");
        assertThat(RecordFacts.effective(condition)).isNotNull();
        assertThat(RecordFacts.values(condition)).isEmpty();
    }

    @Test
    void recordsOutsideAPatientCompartmentHaveNoPatient() {
        assertThat(RecordFacts.patientId(new Organization().setName("Clinic"))).isNull();
        Observation groupObservation = new Observation();
        groupObservation.getSubject().setReference("Group/g1");
        assertThat(RecordFacts.patientId(groupObservation)).isNull();
    }
}
