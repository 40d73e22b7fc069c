package health.tessera.records.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One version of a record as stored: its FHIR JSON plus the owning organisation and the patient it belongs
 * to. A deleted version keeps the last content, so history shows what was deleted.
 */
public record StoredRecord(
        String resourceType,
        UUID id,
        int version,
        String organization,
        String patientId,
        Instant lastUpdated,
        boolean deleted,
        String json) {}
