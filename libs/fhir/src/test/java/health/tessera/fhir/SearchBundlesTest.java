package health.tessera.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SearchBundlesTest {

    @Test
    void wholeNumbersAreCheckedUnderTheirOwnName() {
        assertThat(SearchBundles.wholeNumber("_offset", null, 0, 100)).isZero();
        assertThat(SearchBundles.wholeNumber("_offset", " 40 ", 0, 100)).isEqualTo(40);
        assertThatThrownBy(() -> SearchBundles.wholeNumber("_offset", "ten", 0, 100))
                .isInstanceOf(FhirException.class)
                .hasMessageContaining("_offset must be a whole number");
        assertThatThrownBy(() -> SearchBundles.wholeNumber("_offset", "101", 0, 100))
                .hasMessageContaining("_offset must be between 0 and 100");
        assertThatThrownBy(() -> SearchBundles.count("-1", 50, 1000)).hasMessageContaining("_count");
    }

    @Test
    void totalIsOneOfTheThreeModesOrAbsent() {
        for (String mode : new String[] {null, "", "none", "estimate", "accurate"}) {
            SearchBundles.checkTotal(mode);
        }
        assertThatThrownBy(() -> SearchBundles.checkTotal("weird"))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("_total is one of none, estimate and accurate");
        assertThatThrownBy(() -> SearchBundles.checkTotal("Accurate")).isInstanceOf(FhirException.class);
    }
}
