package health.tessera.alerts.domain;

import health.tessera.events.RecordCommitted;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Hypertensive crisis: systolic ≥ 180 mmHg or diastolic ≥ 120 mmHg (ACC/AHA 2017). Reads the values
 * records-service puts in the event, from a BP panel's components or from single systolic/diastolic
 * Observations.
 */
public final class BloodPressureCrisisRule {

    public static final String RULE_ID = "bp-hypertensive-crisis";
    static final String SYSTOLIC = "http://loinc.org|8480-6";
    static final String DIASTOLIC = "http://loinc.org|8462-4";
    static final double SYSTOLIC_LIMIT = 180;
    static final double DIASTOLIC_LIMIT = 120;

    private BloodPressureCrisisRule() {}

    public static Optional<Finding> evaluate(RecordCommitted record) {
        if (!"Observation".equals(record.resourceType())
                || record.patientId() == null
                || "delete".equals(record.operation())) {
            return Optional.empty();
        }
        OptionalDouble systolic = valueInMmHg(record, SYSTOLIC);
        OptionalDouble diastolic = valueInMmHg(record, DIASTOLIC);
        boolean crisis = (systolic.isPresent() && systolic.getAsDouble() >= SYSTOLIC_LIMIT)
                || (diastolic.isPresent() && diastolic.getAsDouble() >= DIASTOLIC_LIMIT);
        if (!crisis) {
            return Optional.empty();
        }
        String summary = "Blood pressure " + format(systolic) + "/" + format(diastolic)
                + " mmHg is at or above 180/120 mmHg (hypertensive crisis)";
        return Optional.of(new Finding(RULE_ID, "high", "706882009", "Hypertensive crisis", summary));
    }

    private static OptionalDouble valueInMmHg(RecordCommitted record, String code) {
        if (record.values() == null) {
            return OptionalDouble.empty();
        }
        return record.values().stream()
                .filter(v -> code.equals(v.code())
                        && (v.unit() == null
                                || v.unit().equals("mm[Hg]")
                                || v.unit().equalsIgnoreCase("mmHg")))
                .mapToDouble(RecordCommitted.MeasuredValue::value)
                .findFirst();
    }

    private static String format(OptionalDouble value) {
        return value.isPresent() ? String.valueOf(Math.round(value.getAsDouble())) : "?";
    }
}
