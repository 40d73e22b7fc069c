package health.tessera.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A source Patient record was registered with patient-service.
 *
 * @param patientId the source Patient's id
 * @param enterpriseId the enterprise (golden) identity it is linked to; the event key
 * @param organization the organisation that owns the source record
 * @param version the source record's version
 * @param patient the Patient resource as stored (FHIR R4 JSON)
 */
public record PatientRegistered(
        String patientId, String enterpriseId, String organization, int version, JsonNode patient) {}
