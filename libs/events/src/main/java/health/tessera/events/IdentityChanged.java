package health.tessera.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An enterprise identity's membership changed: a source record was linked to it or unlinked from it, or
 * identities were merged or unmerged. The payload is the identity's state after the change, so consumers apply
 * it without knowing the history: for each member, keep the link with the highest {@code linkVersion}.
 *
 * @param enterpriseId the identity this event describes; the event key
 * @param golden its golden record after the change (FHIR R4 Patient JSON); null when it has no members left
 * @param members its source records after the change (empty when it was merged away or emptied)
 * @param patientId the source record the change was about (linked, unlinked), or null for merges
 * @param relatedEnterpriseId the other identity involved: the one merged into this or this into (merged,
 *     unmerged), or the one the record came from or went to (linked, unlinked); null when none
 * @param reason what decided it: {@code auto} (the matcher), {@code review} (a reviewer's decision),
 *     {@code manual} (an operator's link or unlink), {@code merge}, {@code unmerge}
 * @param probability the match probability that decided an automatic or reviewed link, else null
 */
public record IdentityChanged(
        String enterpriseId,
        JsonNode golden,
        List<Member> members,
        String patientId,
        String relatedEnterpriseId,
        String reason,
        Double probability) {

    /** A source record linked to the identity and the number of that link. */
    public record Member(String patientId, String organization, int linkVersion) {}
}
