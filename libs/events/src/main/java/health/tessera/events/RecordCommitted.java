package health.tessera.events;

import java.time.Instant;
import java.util.List;

/**
 * A version of a clinical or administrative record was committed by records-service. It carries enough for
 * alerts and exchange to act without calling back.
 *
 * @param resourceType FHIR resource type, e.g. {@code Observation}
 * @param resourceId the resource's logical id
 * @param version the committed version
 * @param operation {@code create}, {@code update} or {@code delete}
 * @param patientId the Patient the record belongs to, or null for records outside a patient compartment
 * @param organization the organisation that owns the record
 * @param codes the record's codes as {@code system|code}
 * @param effective the clinically relevant time (effective, onset, performed, ...), when the record has one
 * @param values measured values (an Observation's value and its components)
 */
public record RecordCommitted(
        String resourceType,
        String resourceId,
        int version,
        String operation,
        String patientId,
        String organization,
        List<String> codes,
        Instant effective,
        List<MeasuredValue> values) {

    /** One measured value: the code it measures ({@code system|code}), the number and its UCUM unit. */
    public record MeasuredValue(String code, double value, String unit) {}
}
