package health.tessera.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A source Patient record was registered with patient-service, or a new version of it stored (the payload of
 * both {@code registered} and {@code updated}).
 *
 * @param patientId the source Patient's id
 * @param enterpriseId the enterprise (golden) identity it is linked to; the event key
 * @param organization the organisation that owns the source record
 * @param version the source record's version
 * @param patient the Patient resource as stored (FHIR R4 JSON)
 * @param linkVersion the number of the source record's link to {@code enterpriseId}: it grows with every link
 *     change, so a consumer keeps the link with the highest number whatever order events arrive in
 * @param golden the enterprise identity's golden record after this change (FHIR R4 Patient JSON)
 */
public record PatientRegistered(
        String patientId,
        String enterpriseId,
        String organization,
        int version,
        JsonNode patient,
        int linkVersion,
        JsonNode golden) {}
