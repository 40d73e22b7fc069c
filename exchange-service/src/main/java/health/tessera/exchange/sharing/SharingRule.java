package health.tessera.exchange.sharing;

import health.tessera.events.AccessGrantChanged;
import health.tessera.fhir.FhirException;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * What one kind of sharing resource means to the exchange: which patient it is about, which other organisations it
 * names (they may read it), the access it grants, and what those organisations may change in it. The organisation
 * that records it is its custodian: its records are the ones shared, and it alone changes the rest.
 */
public interface SharingRule<T extends Resource> {

    String resourceType();

    Class<T> resourceClass();

    /** Refuses (422, naming the element) a resource the exchange could not enforce as written. */
    void requireEnforceable(T resource);

    /** The custodian's source patient the (valid) resource is about. */
    String patientId(T resource);

    /** The other organisations the (valid) resource names. */
    List<String> participants(T resource);

    /** The search parameter that names a participant ({@code actor} for a Consent, {@code owner} for a Task). */
    String participantParameter();

    /** Writes the custodian into the resource, whatever the body said. */
    void stampCustodian(T resource, String organization);

    /** The access version {@code version} grants; inactive unless in force. */
    AccessGrantChanged grant(String id, int version, T resource, String custodian, boolean deleted);

    /** Refuses a participant's change it may not make (403); by default participants only read. */
    default void requireParticipantChange(T current, T proposed) {
        throw new FhirException(
                403,
                IssueType.FORBIDDEN,
                "Only the organisation that recorded this " + resourceType() + " may change it");
    }
}
