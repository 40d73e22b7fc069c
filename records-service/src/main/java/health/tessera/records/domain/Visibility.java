package health.tessera.records.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whose records a caller may see. A provider system or clinician sees its organisation's records, and another
 * organisation's records of a patient while a consent grants it access to them; a patient-context token (the
 * patient portal) sees one person's records in every organisation, that is the records of every source patient of
 * their enterprise identity (their compartment), and nothing else.
 *
 * <p>The grants are read on first need: most requests touch only the caller's own records.
 */
public final class Visibility {

    private final String organization;
    private final String patient;
    private final Set<String> compartment;
    private Supplier<List<AccessGrant>> grantSource;
    private List<AccessGrant> grants;

    private Visibility(
            String organization, String patient, Set<String> compartment, Supplier<List<AccessGrant>> grantSource) {
        this.organization = organization;
        this.patient = patient;
        this.compartment = compartment;
        this.grantSource = grantSource;
    }

    /**
     * Access to {@code custodian}'s records of {@code patients} (the source records of one person), limited to
     * {@code resourceTypes} unless that is empty.
     */
    public record AccessGrant(String custodian, Set<String> patients, Set<String> resourceTypes) {

        boolean covers(String resourceType, String recordOrganization, String recordPatientId) {
            return custodian.equals(recordOrganization)
                    && recordPatientId != null
                    && patients.contains(recordPatientId)
                    // the Patient itself always: shared records are no use without knowing whose they are
                    && (resourceTypes.isEmpty()
                            || resourceTypes.contains(resourceType)
                            || resourceType.equals("Patient"));
        }
    }

    /** A SQL condition and the values of its {@code ?} placeholders, in order. */
    public record Condition(String sql, List<Object> parameters) {}

    /** An organisation that sees its own records only. */
    public static Visibility organization(String organization) {
        return organization(organization, List::of);
    }

    /** An organisation that also sees what {@code grants} (asked once, when first needed) cover. */
    public static Visibility organization(String organization, Supplier<List<AccessGrant>> grants) {
        return new Visibility(organization, null, Set.of(), grants);
    }

    public static Visibility patient(String patient, Collection<String> compartment) {
        return new Visibility(null, patient, Set.copyOf(compartment), List::of);
    }

    /** The caller's organisation, or null in a patient context. */
    public String organization() {
        return organization;
    }

    /** The source patient ids whose records a patient sees (the token's patient among them); empty otherwise. */
    public Set<String> compartment() {
        return compartment;
    }

    /** The access other organisations granted the caller's organisation, in force now. */
    public List<AccessGrant> grants() {
        if (grants == null) {
            grants = List.copyOf(grantSource.get());
            grantSource = null;
        }
        return grants;
    }

    public boolean isPatient() {
        return patient != null;
    }

    /** Whether the caller may see a {@code resourceType} of {@code recordOrganization} about {@code recordPatientId}. */
    public boolean allows(String resourceType, String recordOrganization, String recordPatientId) {
        if (isPatient()) {
            return recordPatientId != null && compartment.contains(recordPatientId);
        }
        return organization.equals(recordOrganization)
                || grants().stream().anyMatch(g -> g.covers(resourceType, recordOrganization, recordPatientId));
    }

    public boolean allows(StoredRecord record) {
        return allows(record.resourceType(), record.organization(), record.patientId());
    }

    /**
     * The condition that keeps, of the records of table alias {@code r} (a {@code record} row), those the caller
     * may see: the patient's compartment, or the organisation's records plus what grants cover.
     */
    public Condition recordCondition(String r) {
        if (isPatient()) {
            return new Condition(
                    r + ".patient_id = ANY (?)", List.<Object>of((Object) compartment.toArray(String[]::new)));
        }
        if (grants().isEmpty()) {
            return new Condition(r + ".organization = ?", List.of(organization));
        }
        StringBuilder sql = new StringBuilder("(" + r + ".organization = ?");
        List<Object> parameters = new ArrayList<>(List.of(organization));
        for (AccessGrant grant : grants()) {
            sql.append(" OR (")
                    .append(r)
                    .append(".organization = ? AND ")
                    .append(r)
                    .append(".patient_id = ANY (?)");
            parameters.add(grant.custodian());
            parameters.add(grant.patients().toArray(String[]::new));
            if (!grant.resourceTypes().isEmpty()) {
                sql.append(" AND ").append(r).append(".resource_type = ANY (?)");
                parameters.add(grant.resourceTypes().toArray(String[]::new));
            }
            sql.append(")");
        }
        return new Condition(sql.append(")").toString(), parameters);
    }

    /** The organisations that granted the caller access to some of their records. */
    public Set<String> custodians() {
        return Set.copyOf(grants().stream().map(AccessGrant::custodian).toList());
    }

    /** The owner recorded with a kept result set, so only the same caller pages through it. */
    public String resultOwner() {
        return isPatient() ? "patient:" + patient : organization;
    }
}
