package health.tessera.records.domain;

import java.util.Collection;
import java.util.Set;

/**
 * Whose records a caller may see. A provider system or clinician sees its organisation's records; a
 * patient-context token (the patient portal) sees one person's records in every organisation, that is the
 * records of every source patient of their enterprise identity (their compartment), and nothing else.
 *
 * @param organization the caller's organisation, or null in a patient context
 * @param patient the patient the token names, or null outside a patient context
 * @param compartment the source patient ids whose records the patient sees (the token's patient among them)
 */
public record Visibility(String organization, String patient, Set<String> compartment) {

    public static Visibility organization(String organization) {
        return new Visibility(organization, null, Set.of());
    }

    public static Visibility patient(String patient, Collection<String> compartment) {
        return new Visibility(null, patient, Set.copyOf(compartment));
    }

    public boolean isPatient() {
        return patient != null;
    }

    /** Whether the caller may see a record of {@code recordOrganization} about {@code recordPatientId}. */
    public boolean allows(String recordOrganization, String recordPatientId) {
        return isPatient()
                ? recordPatientId != null && compartment.contains(recordPatientId)
                : organization.equals(recordOrganization);
    }

    public boolean allows(StoredRecord record) {
        return allows(record.organization(), record.patientId());
    }

    /** The owner recorded with a kept result set, so only the same caller pages through it. */
    public String resultOwner() {
        return isPatient() ? "patient:" + patient : organization;
    }
}
