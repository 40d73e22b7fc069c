package health.tessera.exchange.audit;

import health.tessera.events.AuditRecorded;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * The FHIR AuditEvent of one gateway request, shaped after IHE BALP's RESTful activity: type {@code rest}, the
 * interaction as subtype, the client and its organisation as agents, the gateway as observer, and as entities
 * the resource (or the query, base64 as the spec wants it), the patient and the request's correlation id.
 */
public final class AuditEvents {

    static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    /** Tessera's own interaction codes where FHIR has none (a Bundle at the base URL, the admin APIs). */
    static final String TESSERA_INTERACTION = "https://tessera.health/fhir/CodeSystem/audit-interaction";

    static final String BALP_ENTITY_TYPE = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";
    static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    public static final String CLIENT_SYSTEM = "https://tessera.health/fhir/sid/client";
    public static final String ORGANIZATION_SYSTEM = "https://tessera.health/fhir/sid/organization";

    private static final Set<String> FHIR_INTERACTIONS = Set.of(
            "read", "vread", "update", "patch", "delete", "history", "create", "search", "capabilities", "operation");

    private AuditEvents() {}

    public static AuditEvent toFhir(String eventId, String correlationId, AuditRecorded audit) {
        AuditEvent event = new AuditEvent();
        event.setId(eventId);
        event.setType(new Coding(AUDIT_EVENT_TYPE, "rest", "Restful Operation"));
        event.addSubtype(
                FHIR_INTERACTIONS.contains(audit.interaction())
                        ? new Coding(RESTFUL_INTERACTION, audit.interaction(), null)
                        : new Coding(TESSERA_INTERACTION, audit.interaction(), null));
        event.setAction(AuditEventAction.fromCode(audit.action()));
        event.setRecorded(Date.from(audit.recorded()));
        event.setOutcome(AuditEventOutcome.fromCode(audit.outcome()));
        event.setOutcomeDesc("HTTP " + audit.status() + " to " + audit.method() + " " + audit.path());

        AuditRecorded.Agent caller = audit.agent();
        AuditEvent.AuditEventAgentComponent client = event.addAgent()
                .setType(new CodeableConcept(new Coding(DICOM, "110150", "Application")))
                .setRequestor(true);
        if (caller.clientId() == null) {
            client.setName("anonymous (no valid token)");
        } else {
            client.setWho(new Reference()
                    .setIdentifier(new Identifier().setSystem(CLIENT_SYSTEM).setValue(caller.clientId())));
            client.setAltId(caller.subject());
            client.setName(caller.user() == null ? caller.clientId() : caller.user());
            caller.scopes().forEach(scope -> client.addPolicy(scope));
        }
        if (audit.sourceAddress() != null) {
            client.getNetwork().setAddress(audit.sourceAddress()).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        if (caller.organization() != null) {
            event.addAgent()
                    .setType(new CodeableConcept(new Coding(
                            "http://terminology.hl7.org/CodeSystem/v3-RoleClass", "PROV", "healthcare provider")))
                    .setRequestor(false)
                    .setWho(new Reference()
                            .setIdentifier(new Identifier()
                                    .setSystem(ORGANIZATION_SYSTEM)
                                    .setValue(caller.organization())));
        }
        event.getSource()
                .setSite(audit.service() == null ? "gateway" : audit.service())
                .setObserver(new Reference().setDisplay("tessera gateway"))
                .addType(new Coding(
                        "http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));

        if (audit.resourceId() != null) { // a type-level request is described by its query below
            AuditEvent.AuditEventEntityComponent entity = event.addEntity()
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
            entity.setWhat(new Reference(
                    audit.resourceId() == null
                            ? audit.resourceType()
                            : audit.resourceType() + "/" + audit.resourceId()));
        }
        if (audit.query() != null) {
            event.addEntity()
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "24", "Query"))
                    .setQuery(audit.query().getBytes(StandardCharsets.UTF_8));
        }
        if (audit.patientId() != null) {
            event.addEntity()
                    .setType(new Coding(ENTITY_TYPE, "1", "Person"))
                    .setRole(new Coding(OBJECT_ROLE, "1", "Patient"))
                    .setWhat(new Reference("Patient/" + audit.patientId()));
        }
        if (correlationId != null) {
            event.addEntity()
                    .setType(new Coding(BALP_ENTITY_TYPE, "XrequestId", "X-Request-Id"))
                    .setWhat(new Reference().setIdentifier(new Identifier().setValue(correlationId)));
        }
        return event;
    }
}
