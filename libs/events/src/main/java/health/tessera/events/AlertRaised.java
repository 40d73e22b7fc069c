package health.tessera.events;

/**
 * alerts-service raised a clinical warning (a FHIR Flag) for a patient.
 *
 * @param flagId the Flag's id
 * @param patientId the patient it is about
 * @param organization the organisation whose record triggered it
 * @param rule the rule that fired, e.g. {@code bp-hypertensive-crisis}
 * @param severity {@code high}, {@code moderate} or {@code low}
 * @param summary a short human-readable reason
 * @param sourceRecord the record that triggered it, as {@code Type/id/_history/version}
 */
public record AlertRaised(
        String flagId,
        String patientId,
        String organization,
        String rule,
        String severity,
        String summary,
        String sourceRecord) {}
