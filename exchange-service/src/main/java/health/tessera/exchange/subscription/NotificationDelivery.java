package health.tessera.exchange.subscription;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.FhirMediaType;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.jboss.logging.Logger;

/**
 * Posts the queued notifications to their endpoints: the handshake of a requested subscription (accepted → active),
 * then its events in order, up to its max-count per Bundle, and a heartbeat when a subscription that asked for them
 * was sent nothing for its heartbeat period. A failed post is tried again after a wait that doubles
 * from one second; after the configured number of consecutive failures the subscription goes to status error with
 * the reason, and nothing more is queued for it until its subscriber asks again (status requested). Each claimed
 * subscription is posted to on its own virtual thread, so one slow endpoint does not hold up the others.
 */
@ApplicationScoped
public class NotificationDelivery {

    private static final Logger LOG = Logger.getLogger(NotificationDelivery.class);
    private static final int CLAIM = 32;

    private final NotificationQueue queue;
    private final SubscriptionStore store;
    private final SubscriptionConfig config;
    private final FhirContext fhir;
    private final HttpClient http;
    private final ExecutorService posters = Executors.newVirtualThreadPerTaskExecutor();

    public NotificationDelivery(
            NotificationQueue queue, SubscriptionStore store, SubscriptionConfig config, FhirContext fhir) {
        this.queue = queue;
        this.store = store;
        this.config = config;
        this.fhir = fhir;
        // Redirects are not followed: a redirect could lead the exchange to an address the endpoint policy refuses.
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.deliveryTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @PreDestroy
    void close() {
        posters.shutdownNow();
    }

    @Scheduled(
            every = "${tessera.subscriptions.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deliverDue() {
        List<NotificationQueue.Claimed> claimed;
        do {
            claimed = queue.claim(CLAIM);
            List<Future<?>> posts = new ArrayList<>(claimed.size());
            for (NotificationQueue.Claimed subscription : claimed) {
                posts.add(posters.submit(() -> deliver(subscription)));
            }
            for (Future<?> post : posts) {
                try {
                    post.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.error("a notification delivery failed unexpectedly", e.getCause());
                }
            }
        } while (claimed.size() == CLAIM);
    }

    private void deliver(NotificationQueue.Claimed subscription) {
        boolean handshake = subscription.status().equals("requested");
        List<NotificationQueue.Pending> pending =
                queue.pending(subscription.id(), handshake ? 1 : subscription.maxCount());
        if (pending.isEmpty()) {
            if (!handshake && subscription.heartbeatDue()) {
                sendOrCountFailure(subscription, "heartbeat", List.of(), -1);
            } else {
                queue.release(subscription.id());
            }
            return;
        }
        if (handshake != (pending.get(0).eventNumber() == 0)) {
            // Only a handshake left over from before (the status changed in between): it counts as done.
            queue.delivered(subscription.id(), 0);
            if (handshake) {
                store.changeStatus(subscription.id(), "requested", SubscriptionStatus.ACTIVE, null);
            }
            return;
        }
        sendOrCountFailure(
                subscription,
                handshake ? "handshake" : "event-notification",
                handshake ? List.of() : pending,
                pending.get(pending.size() - 1).eventNumber());
    }

    /** Posts one notification; then marks its events delivered, or counts the failure (error after too many). */
    private void sendOrCountFailure(
            NotificationQueue.Claimed subscription, String type, List<NotificationQueue.Pending> events, long last) {
        boolean handshake = type.equals("handshake");
        String failure = post(subscription, type, events);
        if (failure == null) {
            queue.delivered(subscription.id(), last);
            if (handshake) {
                store.changeStatus(subscription.id(), "requested", SubscriptionStatus.ACTIVE, null);
            }
            return;
        }
        int failures = queue.failed(subscription.id(), retryDelay(subscription.failures() + 1));
        int allowed = handshake ? config.handshakeAttempts() : config.maxFailures();
        LOG.infof("%s to Subscription/%s failed (%d of %d): %s", type, subscription.id(), failures, allowed, failure);
        if (failures >= allowed) {
            store.changeStatus(
                    subscription.id(),
                    subscription.status(),
                    SubscriptionStatus.ERROR,
                    (handshake ? "The handshake" : "Delivery") + " failed " + failures + " times; last: " + failure);
        }
    }

    /** Posts one notification; null when the endpoint accepted it (2xx), else why not. */
    private String post(NotificationQueue.Claimed subscription, String type, List<NotificationQueue.Pending> events) {
        URI endpoint;
        try {
            endpoint = store.endpoints().require(subscription.endpoint(), "Subscription.channel.endpoint");
        } catch (FhirException refused) {
            return refused.getMessage();
        }
        String body = fhir.newJsonParser()
                .encodeResourceToString(NotificationBundles.notification(subscription, type, events));
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                    .timeout(config.deliveryTimeout())
                    .header("Content-Type", FhirMediaType.JSON)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            for (String header : subscription.headers()) {
                int colon = header.indexOf(':');
                request.header(
                        header.substring(0, colon).strip(),
                        header.substring(colon + 1).strip());
            }
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "the endpoint answered HTTP " + response.statusCode();
        } catch (IOException e) {
            return "the endpoint could not be reached: " + e;
        } catch (IllegalArgumentException e) {
            return "a channel.header cannot be sent: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "delivery interrupted";
        }
    }

    /** One second after the first failure, doubling, up to the configured longest wait. */
    private Duration retryDelay(int failures) {
        Duration delay = Duration.ofSeconds(1L << Math.min(failures - 1, 20));
        return delay.compareTo(config.maxRetryDelay()) > 0 ? config.maxRetryDelay() : delay;
    }
}
