package health.tessera.exchange.subscription;

import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The notifications of the R4 Subscriptions Backport IG (STU 1.1): a {@code history} Bundle whose first entry is
 * the {@code backport-subscription-status-r4} Parameters (which subscription, its topic and status, the kind of
 * notification and its events), followed for {@code id-only} payloads by one entry per event naming the record
 * version, without its content.
 */
public final class NotificationBundles {

    public static final String STATUS_PROFILE = SubscriptionRequest.BACKPORT + "backport-subscription-status-r4";

    private NotificationBundles() {}

    /** The notification of {@code events} ({@code type} handshake or event-notification) to {@code subscription}. */
    public static Bundle notification(
            NotificationQueue.Claimed subscription, String type, List<NotificationQueue.Pending> events) {
        boolean idOnly = SubscriptionRequest.ID_ONLY.equals(subscription.payloadContent());
        Parameters status = status(
                subscription.fhirBase(),
                subscription.id(),
                subscription.topic(),
                subscription.status(),
                type,
                subscription.eventsSinceStart());
        for (NotificationQueue.Pending event : events) {
            Parameters.ParametersParameterComponent notificationEvent =
                    status.addParameter().setName("notification-event");
            notificationEvent
                    .addPart()
                    .setName("event-number")
                    .setValue(new StringType(String.valueOf(event.eventNumber())));
            notificationEvent.addPart().setName("timestamp").setValue(new InstantType(Date.from(event.occurredAt())));
            if (idOnly) {
                // The record, not the version: that goes in the entry's fullUrl (FHIR parsers drop versions from
                // references anyway).
                notificationEvent
                        .addPart()
                        .setName("focus")
                        .setValue(new Reference(subscription.fhirBase() + "/" + withoutVersion(event.focus())));
            }
        }
        Bundle bundle = new Bundle().setType(BundleType.HISTORY).setTimestamp(new Date());
        bundle.setId(UUID.randomUUID().toString());
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(status)
                .setRequest(new Bundle.BundleEntryRequestComponent()
                        .setMethod(HTTPVerb.GET)
                        .setUrl(subscription.fhirBase() + "/Subscription/" + subscription.id() + "/$status"))
                .setResponse(new Bundle.BundleEntryResponseComponent().setStatus("200"));
        if (idOnly) {
            for (NotificationQueue.Pending event : events) {
                String current = withoutVersion(event.focus());
                HTTPVerb verb = switch (String.valueOf(event.operation())) {
                    case "create" -> HTTPVerb.POST;
                    case "delete" -> HTTPVerb.DELETE;
                    default -> HTTPVerb.PUT;
                };
                // fullUrl names the record, not the version (bdl-8); the version is in the entry's response
                String version = event.focus().substring(event.focus().lastIndexOf('/') + 1);
                bundle.addEntry()
                        .setFullUrl(subscription.fhirBase() + "/" + current)
                        .setRequest(new Bundle.BundleEntryRequestComponent()
                                .setMethod(verb)
                                .setUrl(verb == HTTPVerb.POST ? current.substring(0, current.indexOf('/')) : current))
                        .setResponse(new Bundle.BundleEntryResponseComponent()
                                .setStatus(verb == HTTPVerb.POST ? "201" : verb == HTTPVerb.DELETE ? "204" : "200")
                                .setEtag("W/\"" + version + "\"")
                                .setLocation(event.focus()));
            }
        }
        return bundle;
    }

    private static String withoutVersion(String focus) {
        return focus.replaceFirst("/_history/.*$", "");
    }

    /** The subscription-status Parameters: of a notification, or ({@code query-status}) the answer to $status. */
    public static Parameters status(
            String fhirBase, UUID id, String topic, String status, String type, long eventsSinceStart) {
        Parameters parameters = new Parameters();
        parameters.setId(UUID.randomUUID().toString());
        parameters.getMeta().addProfile(STATUS_PROFILE);
        parameters.addParameter().setName("subscription").setValue(new Reference(fhirBase + "/Subscription/" + id));
        parameters.addParameter().setName("topic").setValue(new CanonicalType(topic));
        parameters.addParameter().setName("status").setValue(new CodeType(status));
        parameters.addParameter().setName("type").setValue(new CodeType(type));
        parameters
                .addParameter()
                .setName("events-since-subscription-start")
                .setValue(new StringType(String.valueOf(eventsSinceStart)));
        return parameters;
    }
}
