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
        // references name their own rows (includes, chains and compartments read them), even where one is another
        // restricted to patients
        assertThat(storedAs("Observation", "patient")).containsExactly("patient");
        assertThat(storedAs("Observation", "subject")).containsExactly("subject");
    }

    @Test
    void theUnionsAreObservationsComboParameters() {
        List<String> unions = new java.util.TreeSet<>(health.tessera.fhir.ResourceOwnership.RECORDS.resourceTypes())
                .stream()
                        .flatMap(type -> REGISTRY.parametersOf(type).values().stream()
                                .filter(p -> !p.hasOwnRows())
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
