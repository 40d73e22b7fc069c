package health.tessera.records.service;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.events.EventType;
import health.tessera.events.OutboxWriter;
import health.tessera.events.RecordCommitted;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceIds;
import health.tessera.fhir.ResourceOwnership;
import health.tessera.records.domain.PatientProjection;
import health.tessera.records.domain.RecordFacts;
import health.tessera.records.domain.RecordRepository;
import health.tessera.records.domain.StoredRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/** Creates and reads records; every committed version is announced on tessera.record.v1 via the outbox. */
@ApplicationScoped
public class RecordStore {

    private final RecordRepository records;
    private final PatientProjection patients;
    private final OutboxWriter outbox;
    private final FhirContext fhir;

    public RecordStore(RecordRepository records, PatientProjection patients, OutboxWriter outbox, FhirContext fhir) {
        this.records = records;
        this.patients = patients;
        this.outbox = outbox;
        this.fhir = fhir;
    }

    /** Checks that {@code resourceType} is a type this service stores; anything else is a 404 for the path. */
    public static void requireOwnedType(String resourceType) {
        if (!ResourceOwnership.RECORDS.owns(resourceType)) {
            throw new FhirException(
                    404, IssueType.NOTSUPPORTED, "Resource type " + resourceType + " is not served here");
        }
    }

    @Transactional
    public Resource create(String resourceType, Resource resource, String organization) {
        requireOwnedType(resourceType);
        if (!resource.fhirType().equals(resourceType)) {
            throw FhirException.badRequest("The body is a " + resource.fhirType() + " but was sent to " + resourceType);
        }
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        resource.setId(id.toString());
        resource.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        String patientId = RecordFacts.patientId(resource);
        records.insert(new StoredRecord(
                resourceType,
                id,
                1,
                organization,
                patientId,
                now,
                fhir.newJsonParser().encodeResourceToString(resource)));

        // Events of one patient share a key (the enterprise id once known) so they stay ordered.
        String key = patientId == null
                ? resourceType + "/" + id
                : patients.enterpriseId(patientId).orElse(patientId);
        outbox.append(
                EventType.RECORD_COMMITTED,
                key,
                resourceType + "/" + id,
                new RecordCommitted(
                        resourceType,
                        id.toString(),
                        1,
                        "create",
                        patientId,
                        organization,
                        RecordFacts.codes(resource),
                        RecordFacts.effective(resource),
                        RecordFacts.values(resource)));
        return resource;
    }

    /** The record if it exists and {@code organization} may see it; otherwise 404, whichever the reason. */
    public Resource read(String resourceType, String id, String organization) {
        requireOwnedType(resourceType);
        Optional<StoredRecord> found = ResourceIds.asUuid(id).flatMap(uuid -> records.find(resourceType, uuid));
        if (found.isEmpty() || !found.get().organization().equals(organization)) {
            throw FhirException.notFound(resourceType, id);
        }
        return (Resource) fhir.newJsonParser().parseResource(found.get().json());
    }
}
