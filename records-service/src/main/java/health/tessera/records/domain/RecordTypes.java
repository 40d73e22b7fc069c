package health.tessera.records.domain;

import java.util.Set;

/** The FHIR resource types records-service owns (ARCHITECTURE.md §1); Patient belongs to patient-service. */
public final class RecordTypes {

    public static final Set<String> OWNED = Set.of(
            "Encounter", "Observation", "Condition", "Procedure", "MedicationRequest", "MedicationStatement",
            "MedicationAdministration", "Medication", "AllergyIntolerance", "Immunization", "DiagnosticReport",
            "ImagingStudy", "Media", "DocumentReference", "CarePlan", "CareTeam", "Goal", "Device", "Coverage",
            "Claim", "ExplanationOfBenefit", "Practitioner", "PractitionerRole", "Organization", "Location",
            "Provenance", "Communication");

    private RecordTypes() {}
}
