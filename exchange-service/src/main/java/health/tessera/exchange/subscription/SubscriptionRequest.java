package health.tessera.exchange.subscription;

import health.tessera.fhir.FhirException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;

/**
 * What a subscriber asks for, read from an R4 Subscription written the way the Subscriptions Backport IG (STU 1.1)
 * says: {@code criteria} is a topic's canonical URL, its {@code backport-filter-criteria} extensions narrow it,
 * {@code channel} is a rest-hook with an endpoint, and {@code channel.payload}'s {@code backport-payload-content}
 * says how much each notification carries. What the exchange could not honour as written is refused (422 naming
 * the element) rather than ignored.
 *
 * @param status {@code requested} (the subscriber wants notifications; the handshake decides) or {@code off}
 */
public record SubscriptionRequest(
        String status,
        String topic,
        List<String> filterCriteria,
        List<RecordFilter> filters,
        String endpoint,
        String payloadContent,
        List<String> headers,
        int maxCount,
        Integer heartbeatSeconds) {

    public static final String BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
    public static final String FILTER_CRITERIA = BACKPORT + "backport-filter-criteria";
    public static final String PAYLOAD_CONTENT = BACKPORT + "backport-payload-content";
    public static final String MAX_COUNT = BACKPORT + "backport-max-count";
    static final String HEARTBEAT_PERIOD = BACKPORT + "backport-heartbeat-period";
    static final String TIMEOUT = BACKPORT + "backport-timeout";
    /** Heartbeats more often than this would be load, not a liveness signal. */
    static final int MIN_HEARTBEAT_SECONDS = 5;

    /** The one topic: every committed version (create, update, delete) of a record in records-service. */
    public static final String RECORD_CHANGED = "https://tessera.health/fhir/SubscriptionTopic/record-changed";

    public static final String EMPTY = "empty";
    public static final String ID_ONLY = "id-only";

    public static SubscriptionRequest of(
            Subscription subscription, EndpointPolicy endpoints, int maxEventsPerNotification) {
        String status = switch (subscription.getStatus() == null ? SubscriptionStatus.NULL : subscription.getStatus()) {
            case REQUESTED, ACTIVE -> "requested";
            case OFF -> "off";
            case ERROR ->
                throw FhirException.unprocessable(
                        "status error is set by the exchange when deliveries fail; ask for requested to start again",
                        "Subscription.status");
            default ->
                throw FhirException.unprocessable(
                        "Subscription.status is required (requested, or off to pause)", "Subscription.status");
        };
        String topic = subscription.getCriteria();
        if (!RECORD_CHANGED.equals(topic)) {
            throw FhirException.unprocessable(
                    "Subscription.criteria must be the canonical URL of a topic this server offers: " + RECORD_CHANGED
                            + " (the R4 Subscriptions Backport; search-style criteria go in the"
                            + " backport-filter-criteria extension)",
                    "Subscription.criteria");
        }
        List<String> criteria = new ArrayList<>();
        List<RecordFilter> filters = new ArrayList<>();
        for (Extension extension : subscription.getCriteriaElement().getExtensionsByUrl(FILTER_CRITERIA)) {
            String value = extension.getValue() instanceof StringType text ? text.getValue() : null;
            filters.add(RecordFilter.parse(value, "Subscription.criteria.extension('" + FILTER_CRITERIA + "')"));
            criteria.add(value.strip());
        }
        Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
        if (channel.getType() != SubscriptionChannelType.RESTHOOK) {
            throw FhirException.unprocessable(
                    "Subscription.channel.type must be rest-hook, the channel this server delivers",
                    "Subscription.channel.type");
        }
        if (channel.hasExtension(TIMEOUT)) {
            throw FhirException.unprocessable(
                    "This server keeps its own delivery timeout; remove " + TIMEOUT,
                    "Subscription.channel.extension('" + TIMEOUT + "')");
        }
        Integer heartbeatSeconds = null;
        Extension heartbeat = channel.getExtensionByUrl(HEARTBEAT_PERIOD);
        if (heartbeat != null) {
            if (!(heartbeat.getValue() instanceof org.hl7.fhir.r4.model.UnsignedIntType period)
                    || !period.hasValue()
                    || period.getValue() < MIN_HEARTBEAT_SECONDS) {
                throw FhirException.unprocessable(
                        "backport-heartbeat-period is an unsignedInt of at least " + MIN_HEARTBEAT_SECONDS + " seconds",
                        "Subscription.channel.extension('" + HEARTBEAT_PERIOD + "')");
            }
            heartbeatSeconds = period.getValue();
        }
        endpoints.require(channel.getEndpoint(), "Subscription.channel.endpoint");
        String payloadContent = payloadContent(channel);
        int maxCount = maxEventsPerNotification;
        Extension max = channel.getExtensionByUrl(MAX_COUNT);
        if (max != null) {
            if (!(max.getValue() instanceof org.hl7.fhir.r4.model.PositiveIntType count) || !count.hasValue()) {
                throw FhirException.unprocessable(
                        "backport-max-count is a positiveInt", "Subscription.channel.extension('" + MAX_COUNT + "')");
            }
            maxCount = Math.min(count.getValue(), maxEventsPerNotification);
        }
        List<String> headers = new ArrayList<>();
        for (StringType header : channel.getHeader()) {
            String value = header.getValue();
            String problem = WebhookPoster.headerProblem(value);
            if (problem != null) {
                throw FhirException.unprocessable(
                        "A channel.header cannot be sent: " + problem, "Subscription.channel.header");
            }
            headers.add(value);
        }
        return new SubscriptionRequest(
                status,
                topic,
                List.copyOf(criteria),
                List.copyOf(filters),
                channel.getEndpoint().strip(),
                payloadContent,
                List.copyOf(headers),
                maxCount,
                heartbeatSeconds);
    }

    private static String payloadContent(Subscription.SubscriptionChannelComponent channel) {
        Extension content = channel.getPayloadElement().getExtensionByUrl(PAYLOAD_CONTENT);
        String code = content == null || content.getValue() == null
                ? null
                : content.getValue().primitiveValue();
        if (code == null) {
            code = channel.hasPayload() ? ID_ONLY : EMPTY;
        }
        switch (code) {
            case EMPTY, ID_ONLY -> {}
            case "full-resource" ->
                throw FhirException.unprocessable(
                        "full-resource payloads are not offered: a subscriber gets the ids of the records and reads"
                                + " them with its own access (use id-only)",
                        "Subscription.channel.payload.extension('" + PAYLOAD_CONTENT + "')");
            default ->
                throw FhirException.unprocessable(
                        "backport-payload-content is empty or id-only",
                        "Subscription.channel.payload.extension('" + PAYLOAD_CONTENT + "')");
        }
        if (ID_ONLY.equals(code)
                && channel.hasPayload()
                && !channel.getPayload().startsWith("application/fhir+json")) {
            throw FhirException.unprocessable(
                    "Notifications are sent as application/fhir+json", "Subscription.channel.payload");
        }
        return code;
    }

    /** Whether {@code record} is one this subscription asked for (any filter; no filter means every record). */
    public static boolean wanted(List<RecordFilter> filters, health.tessera.events.RecordCommitted record) {
        return filters.isEmpty() || filters.stream().anyMatch(f -> f.matches(record));
    }
}
