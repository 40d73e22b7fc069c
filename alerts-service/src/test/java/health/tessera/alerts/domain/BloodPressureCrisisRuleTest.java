package health.tessera.alerts.domain;

import static org.assertj.core.api.Assertions.assertThat;

import health.tessera.events.RecordCommitted;
import health.tessera.events.RecordCommitted.MeasuredValue;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BloodPressureCrisisRuleTest {

    private static RecordCommitted bp(String type, String operation, String patient, List<MeasuredValue> values) {
        return new RecordCommitted(
                type,
                "o1",
                1,
                operation,
                patient,
                "org-a",
                List.of("http://loinc.org|85354-9"),
                Instant.parse("2026-11-20T09:30:00Z"),
                values);
    }

    private static List<MeasuredValue> panel(double systolic, double diastolic) {
        return List.of(
                new MeasuredValue(BloodPressureCrisisRule.SYSTOLIC, systolic, "mm[Hg]"),
                new MeasuredValue(BloodPressureCrisisRule.DIASTOLIC, diastolic, "mm[Hg]"));
    }

    @ParameterizedTest(name = "{0}/{1} mmHg flags: {2}")
    @CsvSource({"180,90,true", "179,119,false", "150,120,true", "192,124,true", "120,80,false", "179.9,119.9,false"})
    void flagsAtOrAboveTheCrisisLimits(double systolic, double diastolic, boolean flagged) {
        assertThat(BloodPressureCrisisRule.evaluate(bp("Observation", "create", "p1", panel(systolic, diastolic)))
                        .isPresent())
                .isEqualTo(flagged);
    }

    @Test
    void aSingleSystolicObservationIsEnough() {
        var finding = BloodPressureCrisisRule.evaluate(bp(
                "Observation",
                "create",
                "p1",
                List.of(new MeasuredValue(BloodPressureCrisisRule.SYSTOLIC, 210, "mm[Hg]"))));
        assertThat(finding).isPresent();
        assertThat(finding.get().summary()).contains("210/?");
        assertThat(finding.get().severity()).isEqualTo("high");
    }

    @Test
    void otherUnitsRecordsWithoutPatientAndDeletesAreIgnored() {
        assertThat(BloodPressureCrisisRule.evaluate(bp(
                        "Observation",
                        "create",
                        "p1",
                        List.of(new MeasuredValue(BloodPressureCrisisRule.SYSTOLIC, 25, "kPa")))))
                .isEmpty();
        assertThat(BloodPressureCrisisRule.evaluate(bp("Observation", "create", null, panel(200, 130))))
                .isEmpty();
        assertThat(BloodPressureCrisisRule.evaluate(bp("Observation", "delete", "p1", panel(200, 130))))
                .isEmpty();
        assertThat(BloodPressureCrisisRule.evaluate(bp("Condition", "create", "p1", panel(200, 130))))
                .isEmpty();
        assertThat(BloodPressureCrisisRule.evaluate(bp("Observation", "create", "p1", null)))
                .isEmpty();
    }
}
