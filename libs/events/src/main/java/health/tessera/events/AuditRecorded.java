package health.tessera.events;

import java.time.Instant;
import java.util.List;

/**
 * One request at the gateway, allowed or denied, as the accounting of disclosures needs it (shaped after IHE
 * BALP's RESTful AuditEvent). The gateway publishes it and waits for the broker's acknowledgement before it
 * answers; exchange-service stores it as a FHIR AuditEvent.
 *
 * @param recorded when the gateway answered
 * @param action the FHIR AuditEvent action: {@code C}, {@code R}, {@code U}, {@code D} or {@code E} (execute)
 * @param interaction the FHIR interaction: read, vread, history, search, create, update, patch, delete, batch,
 *     transaction, operation, capabilities, or {@code admin} for the operators' REST APIs
 * @param method the HTTP method
 * @param path the request path, e.g. {@code /fhir/Observation/123}
 * @param query the raw query string, or null (searches name what was asked for)
 * @param resourceType the resource type the request is about, or null
 * @param resourceId the resource id in the path, or null
 * @param patientId the patient the request is about when the request names one (path or patient/subject
 *     parameter), or null
 * @param status the HTTP status the caller got
 * @param outcome the AuditEvent outcome code: {@code 0} success, {@code 4} minor failure (refused or a client
 *     mistake), {@code 8} serious failure (a service failed)
 * @param agent who asked
 * @param sourceAddress the caller's network address
 * @param service the service that answered, or null when the gateway itself did
 */
public record AuditRecorded(
        Instant recorded,
        String action,
        String interaction,
        String method,
        String path,
        String query,
        String resourceType,
        String resourceId,
        String patientId,
        int status,
        String outcome,
        Agent agent,
        String sourceAddress,
        String service) {

    /**
     * The caller as the verified token names it; every field null for a request without a valid token.
     *
     * @param clientId the client the token was issued to ({@code azp})
     * @param organization the token's organisation
     * @param user the user ({@code preferred_username}) for user tokens
     * @param subject the token's subject
     * @param patientId the patient in context for patient tokens
     * @param scopes the token's scopes
     */
    public record Agent(
            String clientId, String organization, String user, String subject, String patientId, List<String> scopes) {

        public static final Agent ANONYMOUS = new Agent(null, null, null, null, null, List.of());
    }
}
