package health.tessera.exchange.api;

import health.tessera.exchange.subscription.SubscriptionRequest;
import health.tessera.fhir.CapabilityStatements;
import health.tessera.fhir.FhirMediaType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * {@code GET /fhir/metadata}: what exchange-service serves: the accounting of disclosures (AuditEvent), privacy
 * consents (Consent), referrals (Task) and topic-based Subscriptions.
 */
@Path("/fhir/metadata")
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class CapabilityResource {

    private final CapabilityStatement statement = build();

    @GET
    public CapabilityStatement metadata() {
        return statement;
    }

    /** Built once: every GET answers the same statement (it used to add Consent and Task again on each). */
    private static CapabilityStatement build() {
        CapabilityStatement statement = CapabilityStatements.service("TesseraExchange", "Tessera exchange-service");
        CapabilityStatements.resource(
                        statement,
                        "Consent",
                        Map.of(
                                "patient", SearchParamType.REFERENCE,
                                "actor", SearchParamType.REFERENCE,
                                "status", SearchParamType.TOKEN),
                        TypeRestfulInteraction.CREATE,
                        TypeRestfulInteraction.READ,
                        TypeRestfulInteraction.VREAD,
                        TypeRestfulInteraction.UPDATE,
                        TypeRestfulInteraction.DELETE,
                        TypeRestfulInteraction.SEARCHTYPE)
                .setDocumentation("Privacy consents (scope patient-privacy). An organisation records that the patient"
                        + " lets it share their records with the organisations in provision.actor"
                        + " (Organization/<org id>), for provision.period and, with provision.class, only some record"
                        + " types. While a consent is active those organisations read the records through"
                        + " records-service (read, vread, search, $everything); revoking or deleting it ends that."
                        + " Elements the exchange cannot enforce (nested provisions, data, code, securityLabel,"
                        + " dataPeriod) are refused with 422 rather than ignored.");
        CapabilityStatements.resource(
                        statement,
                        "Task",
                        Map.of(
                                "patient", SearchParamType.REFERENCE,
                                "owner", SearchParamType.REFERENCE,
                                "status", SearchParamType.TOKEN),
                        TypeRestfulInteraction.CREATE,
                        TypeRestfulInteraction.READ,
                        TypeRestfulInteraction.VREAD,
                        TypeRestfulInteraction.UPDATE,
                        TypeRestfulInteraction.DELETE,
                        TypeRestfulInteraction.SEARCHTYPE)
                .setDocumentation("Referrals. The referring organisation (requester, set from the token) creates a"
                        + " Task for Patient/<id> with owner Organization/<org id>; the owner accepts it (status"
                        + " accepted), works it (in-progress, on-hold) and finishes it (completed, failed, rejected),"
                        + " changing only status, statusReason, businessStatus, note, output, executionPeriod and"
                        + " lastModified. While accepted, in-progress or on-hold, and within restriction.period, the"
                        + " owner reads the requester's records of the patient through records-service.");
        CapabilityStatement.CapabilityStatementRestResourceComponent subscription = CapabilityStatements.resource(
                        statement,
                        "Subscription",
                        Map.of("status", SearchParamType.TOKEN),
                        TypeRestfulInteraction.CREATE,
                        TypeRestfulInteraction.READ,
                        TypeRestfulInteraction.VREAD,
                        TypeRestfulInteraction.UPDATE,
                        TypeRestfulInteraction.DELETE,
                        TypeRestfulInteraction.SEARCHTYPE)
                .setDocumentation("Topic-based subscriptions (R4 Subscriptions Backport IG 1.1). criteria is the topic "
                        + SubscriptionRequest.RECORD_CHANGED + " (every committed version of a record); its"
                        + " backport-filter-criteria extensions narrow it (Type?patient=...&code=system|code, any of"
                        + " them). channel: rest-hook, payload id-only or empty. A new or re-requested subscription"
                        + " gets a handshake and turns active once its endpoint accepts it; notifications are"
                        + " history Bundles with the backport-subscription-status-r4 Parameters, in event-number"
                        + " order (backport-max-count per Bundle; heartbeats with backport-heartbeat-period, 5 s at"
                        + " least); at most 100 subscriptions per organisation. A subscriber hears only of records its organisation may see (its own, or shared"
                        + " with it under a Consent or accepted referral in force when the event is matched). Failed"
                        + " deliveries are retried with a doubling wait; after repeated failures the status turns"
                        + " error (ask for requested again). Endpoints must be https on public addresses."
                        + " GET Subscription/[id]/$status answers the status Parameters.");
        subscription.addExtension(
                "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
                        + "capabilitystatement-subscriptiontopic-canonical",
                new org.hl7.fhir.r4.model.CanonicalType(SubscriptionRequest.RECORD_CHANGED));
        subscription
                .addOperation()
                .setName("status")
                .setDefinition(
                        "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status");
        CapabilityStatements.resource(
                        statement,
                        "AuditEvent",
                        Map.of(
                                "date", SearchParamType.DATE,
                                "patient", SearchParamType.REFERENCE,
                                "agent", SearchParamType.TOKEN,
                                "outcome", SearchParamType.TOKEN,
                                "action", SearchParamType.TOKEN,
                                "subtype", SearchParamType.TOKEN,
                                "request", SearchParamType.STRING),
                        TypeRestfulInteraction.READ,
                        TypeRestfulInteraction.SEARCHTYPE)
                .setDocumentation("One AuditEvent (IHE BALP RESTful shape) per request the gateway answered, allowed"
                        + " or denied. Operators see all; an organisation its own tokens' requests. request= is the"
                        + " X-Correlation-Id the gateway returned.");
        return statement;
    }
}
