package health.tessera.fhir;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Which service owns which FHIR resource type: the table of ARCHITECTURE.md §1 in code. The gateway routes
 * by it and each service accepts exactly its own types.
 */
public enum ResourceOwnership {
    PATIENT("patient", Set.of("Patient")),
    RECORDS(
            "records",
            Set.of(
                    "Encounter",
                    "Observation",
                    "Condition",
                    "Procedure",
                    "MedicationRequest",
                    "MedicationStatement",
                    "MedicationAdministration",
                    "Medication",
                    "AllergyIntolerance",
                    "Immunization",
                    "DiagnosticReport",
                    "ImagingStudy",
                    "Media",
                    "DocumentReference",
                    "CarePlan",
                    "CareTeam",
                    "Goal",
                    "Device",
                    "Coverage",
                    "Claim",
                    "ExplanationOfBenefit",
                    "Practitioner",
                    "PractitionerRole",
                    "Organization",
                    "Location",
                    "Provenance",
                    "Communication",
                    "SupplyDelivery",
                    "Group")),
    // SubscriptionTopic is not an R4 resource: the R4 Subscriptions Backport IG defines topics canonically.
    EXCHANGE("exchange", Set.of("Consent", "ServiceRequest", "Task", "Subscription", "AuditEvent", "Endpoint")),
    ALERTS("alerts", Set.of("Flag", "DetectedIssue", "CommunicationRequest", "Measure", "MeasureReport"));

    private final String serviceName;
    private final Set<String> resourceTypes;

    ResourceOwnership(String serviceName, Set<String> resourceTypes) {
        this.serviceName = serviceName;
        this.resourceTypes = resourceTypes;
    }

    /** The service's short name, as in the gateway's {@code tessera.gateway.services.<name>} settings. */
    public String serviceName() {
        return serviceName;
    }

    public Set<String> resourceTypes() {
        return resourceTypes;
    }

    public boolean owns(String resourceType) {
        return resourceTypes.contains(resourceType);
    }

    /** The owner of {@code resourceType}, if any service owns it. */
    public static Optional<ResourceOwnership> ownerOf(String resourceType) {
        return Arrays.stream(values()).filter(o -> o.owns(resourceType)).findFirst();
    }

    /**
     * The owner of an operation or search that is not served by the owner of its resource type: {@code $everything}
     * and {@code $export} on Patient work over the clinical record, which records-service holds, and so does a
     * Patient search with {@code _has} (over the records that point at patients, with records-service's indexed
     * projection of the patients).
     */
    public static Optional<ResourceOwnership> ownerOfOperation(String path, java.util.Map<String, ?> query) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if ((trimmed.endsWith("/Patient") || trimmed.equals("Patient")) && isReverseChainSearch(query)) {
            return Optional.of(RECORDS);
        }
        for (String segment : path.split("/")) {
            if (segment.equals("$everything") || segment.startsWith("$export")) {
                return Optional.of(RECORDS); // $export, $export-poll-status, $export-file
            }
        }
        return Optional.empty();
    }

    /** Whether a search has a {@code _has} parameter (a reverse chain). */
    public static boolean isReverseChainSearch(java.util.Map<String, ?> query) {
        return query.keySet().stream().anyMatch(name -> name.startsWith("_has:"));
    }
}
