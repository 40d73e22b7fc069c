package health.tessera.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawQueryCharactersTest {

    @Test
    void encodesWhatFhirClientsSendRawAndLeavesTheRestAlone() {
        String raw = "/fhir/Observation?code=http://loinc.org|8480-6&name=Zoë&_sort=-date";
        assertThat(RawQueryCharacters.present(raw)).isTrue();
        assertThat(RawQueryCharacters.encode(raw))
                .isEqualTo("/fhir/Observation?code=http://loinc.org%7C8480-6&name=Zo%C3%AB&_sort=-date");
        assertThat(RawQueryCharacters.present("/fhir/Observation?code=http://loinc.org%7C8480-6"))
                .isFalse();
    }

    @Test
    void tellsMalformedEscapesApart() {
        assertThat(RawQueryCharacters.malformedEscape("/fhir/Observation?code=a%ZZ"))
                .isTrue();
        assertThat(RawQueryCharacters.malformedEscape("/fhir/Observation?code=a%7"))
                .isTrue();
        assertThat(RawQueryCharacters.malformedEscape("/fhir/Observation?code=a%7C"))
                .isFalse();
    }
}
