package health.tessera.events;

import java.time.Instant;
import java.util.List;

/**
 * Who may read another organisation's records of one patient changed: a Consent (or, later, an accepted referral)
 * was recorded, changed, revoked or deleted. The payload is the grant's whole state after the change, so a
 * consumer keeps, per grant, the highest {@code version} and needs no history.
 *
 * @param grantId the resource that grants access, e.g. {@code Consent/123}; the event key
 * @param version that resource's version
 * @param basis {@code consent} or {@code referral}
 * @param custodian the organisation whose records are shared (the one that recorded the grant)
 * @param patientId the source patient the grant is about (the custodian's Patient id); consumers extend it to every
 *     source record of the same enterprise identity
 * @param recipients the organisations that may read those records
 * @param resourceTypes the record types shared; empty for all
 * @param validFrom start of the grant's period, or null for open
 * @param validTo end of the grant's period (exclusive), or null for open
 * @param active whether the grant is in force; false when revoked, rejected, denied or deleted
 */
public record AccessGrantChanged(
        String grantId,
        int version,
        String basis,
        String custodian,
        String patientId,
        List<String> recipients,
        List<String> resourceTypes,
        Instant validFrom,
        Instant validTo,
        boolean active) {}
