package health.tessera.exchange.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.tessera.events.RecordCommitted;
import health.tessera.fhir.FhirException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordFilterTest {

    private static RecordCommitted bloodPressure(String patient) {
        return new RecordCommitted(
                "Observation",
                "o1",
                1,
                "create",
                patient,
                "org-a",
                List.of("http://loinc.org|85354-9"),
                null,
                List.of(new RecordCommitted.MeasuredValue("http://loinc.org|8480-6", 142, "mm[Hg]")));
    }

    private static boolean matches(String criteria, RecordCommitted record) {
        return RecordFilter.parse(criteria, "x").matches(record);
    }

    @Test
    void typeCodeAndPatientAreAndedAndACommaMeansAnyOf() {
        RecordCommitted record = bloodPressure("p1");
        assertThat(matches("Observation", record)).isTrue();
        assertThat(matches("*", record)).isTrue();
        assertThat(matches("Condition", record)).isFalse();
        assertThat(matches("Observation?code=http://loinc.org|85354-9", record)).isTrue();
        assertThat(matches("Observation?code=http://loinc.org%7C85354-9", record))
                .isTrue();
        assertThat(matches("Observation?code=85354-9", record))
                .as("a code in any system")
                .isTrue();
        assertThat(matches("Observation?code=http://loinc.org|", record))
                .as("any code of the system")
                .isTrue();
        assertThat(matches("Observation?code=http://snomed.info/sct|85354-9", record))
                .isFalse();
        assertThat(matches("Observation?code=http://loinc.org|8480-6", record))
                .as("a component's code")
                .isTrue();
        assertThat(matches("Observation?code=http://loinc.org|1,http://loinc.org|85354-9", record))
                .isTrue();
        assertThat(matches("Observation?patient=Patient/p1&code=85354-9", record))
                .isTrue();
        assertThat(matches("Observation?patient=p2&code=85354-9", record)).isFalse();
        assertThat(matches("Observation?patient=p2,p1", record)).isTrue();
        assertThat(matches("Observation?patient=p1", bloodPressure(null))).isFalse();
    }

    @Test
    void aFilterTheExchangeCannotApplyIsRefusedNamingWhy() {
        assertThatThrownBy(() -> RecordFilter.parse("Observation?value-quantity=gt140", "x"))
                .isInstanceOf(FhirException.class)
                .hasMessageContaining("value-quantity");
        assertThatThrownBy(() -> RecordFilter.parse("Patient?name=x", "x")).hasMessageContaining("record type");
        assertThatThrownBy(() -> RecordFilter.parse("", "x")).hasMessageContaining("record type");
        assertThatThrownBy(() -> RecordFilter.parse("Observation?code=", "x")).hasMessageContaining("no value");
        assertThatThrownBy(() -> RecordFilter.parse(null, "x")).isInstanceOf(FhirException.class);
    }
}
