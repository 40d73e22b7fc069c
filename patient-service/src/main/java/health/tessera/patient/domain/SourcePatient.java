package health.tessera.patient.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One organisation's Patient record as stored: the FHIR JSON plus who owns it, whom it identifies
 * ({@code enterpriseId}) and the number of that link ({@code linkVersion}, raised by every link change).
 */
public record SourcePatient(
        UUID id,
        String organization,
        UUID enterpriseId,
        int version,
        Instant lastUpdated,
        String json,
        int linkVersion) {}
