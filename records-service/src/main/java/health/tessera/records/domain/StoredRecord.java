package health.tessera.records.domain;

import java.time.Instant;
import java.util.UUID;

/** A record as stored: its FHIR JSON plus the owning organisation and the patient it belongs to. */
public record StoredRecord(
        String resourceType,
        UUID id,
        int version,
        String organization,
        String patientId,
        Instant lastUpdated,
        String json) {}
