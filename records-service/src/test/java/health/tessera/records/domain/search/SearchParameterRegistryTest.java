package health.tessera.records.domain.search;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchParameterRegistryTest {

    private static final SearchParameterRegistry REGISTRY = new SearchParameterRegistry(FhirContext.forR4Cached());

    private static List<String> storedAs(String type, String name) {
        return REGISTRY.find(type, name).orElseThrow().storedAs();
    }

    @Test
    void aUnionOfParametersIsStoredAsItsParts() {
        assertThat(storedAs("Observation", "combo-code")).containsExactly("code", "component-code");
        assertThat(storedAs("Observation", "combo-value-quantity"))
                .containsExactly("component-value-quantity", "value-quantity");
        assertThat(storedAs("Observation", "combo-value-concept"))
                .containsExactly("component-value-concept", "value-concept");
    }

    @Test
    void otherParametersKeepTheirOwnRows() {
        assertThat(REGISTRY.find("Observation", "code").orElseThrow().hasOwnRows())
                .isTrue();
        assertThat(storedAs("Observation", "subject")).containsExactly("subject");
        // a reference narrowed to patients with no unnarrowed twin of the same path
        assertThat(storedAs("Claim", "patient")).containsExactly("patient");
        assertThat(REGISTRY.find("Claim", "patient").orElseThrow().hasOwnRows()).isTrue();
    }

    @Test
    void aReferenceNarrowedToSomeTargetsReadsItsTwinsRowsToThoseTargets() {
        SearchParameter patient = REGISTRY.find("Observation", "patient").orElseThrow();
        assertThat(patient.storedAs()).containsExactly("subject");
        assertThat(patient.storedTargetTypes()).containsExactly("Patient");
        assertThat(patient.hasOwnRows()).isFalse();
        List<String> narrowed = new java.util.TreeSet<>(health.tessera.fhir.ResourceOwnership.RECORDS.resourceTypes())
                .stream()
                        .flatMap(type -> REGISTRY.parametersOf(type).values().stream()
                                .filter(p -> !p.storedTargetTypes().isEmpty())
                                .map(p -> type + "." + p.name() + "=" + p.storedAs() + p.storedTargetTypes()))
                        .sorted()
                        .toList();
        assertThat(narrowed)
                .containsExactly(
                        "CarePlan.patient=[subject][Patient]",
                        "CareTeam.patient=[subject][Patient]",
                        "Communication.patient=[subject][Patient]",
                        "Condition.patient=[subject][Patient]",
                        "DiagnosticReport.patient=[subject][Patient]",
                        "DocumentReference.patient=[subject][Patient]",
                        "Encounter.patient=[subject][Patient]",
                        "Encounter.practitioner=[participant][Practitioner]",
                        "Goal.patient=[subject][Patient]",
                        "ImagingStudy.patient=[subject][Patient]",
                        "Media.patient=[subject][Patient]",
                        "MedicationAdministration.patient=[subject][Patient]",
                        "MedicationRequest.patient=[subject][Patient]",
                        "MedicationStatement.patient=[subject][Patient]",
                        "Observation.patient=[subject][Patient]",
                        "Procedure.patient=[subject][Patient]",
                        "Provenance.patient=[target][Patient]");
    }

    @Test
    void theUnionsAreObservationsComboParameters() {
        List<String> unions = new java.util.TreeSet<>(health.tessera.fhir.ResourceOwnership.RECORDS.resourceTypes())
                .stream()
                        .flatMap(type -> REGISTRY.parametersOf(type).values().stream()
                                .filter(p ->
                                        !p.hasOwnRows() && p.storedTargetTypes().isEmpty())
                                .map(p -> type + "." + p.name()))
                        .sorted()
                        .toList();
        assertThat(unions)
                .containsExactly(
                        "Observation.combo-code",
                        "Observation.combo-data-absent-reason",
                        "Observation.combo-value-concept",
                        "Observation.combo-value-quantity");
    }
}
