package health.tessera.patient.domain;

import java.time.Instant;
import java.util.UUID;

/** One organisation's Patient record as stored: the FHIR JSON plus who owns it and whom it identifies. */
public record SourcePatient(
        UUID id, String organization, UUID enterpriseId, int version, Instant lastUpdated, String json) {}
