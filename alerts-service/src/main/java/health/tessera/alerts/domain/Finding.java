package health.tessera.alerts.domain;

/**
 * What a rule concluded about a record: the rule, how urgent it is and why, in words a clinician reads.
 *
 * @param rule stable rule id, e.g. {@code bp-hypertensive-crisis}
 * @param severity {@code high}, {@code moderate} or {@code low}
 * @param snomedCode the SNOMED CT concept the warning is about
 * @param display that concept's display text
 * @param summary the reason with the measured values
 */
public record Finding(String rule, String severity, String snomedCode, String display, String summary) {}
