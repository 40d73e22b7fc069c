package health.tessera.exchange.subscription;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.fhir.FhirException;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private final WebhookPoster poster;
    private final ExecutorService posters = Executors.newVirtualThreadPerTaskExecutor();

    public NotificationDelivery(
            NotificationQueue queue,
            SubscriptionStore store,
            SubscriptionConfig config,
            FhirContext fhir,
            io.vertx.core.Vertx vertx) {
        this.queue = queue;
        this.store = store;
        this.config = config;
        this.fhir = fhir;
        this.poster = new WebhookPoster(vertx, config.deliveryTimeout());
    }

    @PreDestroy
    void close() {
        posters.shutdownNow();
        poster.close();
    }

    @Scheduled(
            every = "${tessera.subscriptions.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deliverDue() {
        // A post cannot take longer than the delivery timeout (the whole exchange, body included); the margin
        // covers the database work around it. A post still running then is abandoned: its claim lapses, and a
        // worker overtaken that way changes nothing (NotificationQueue's lease token).
        long budgetMillis = config.deliveryTimeout().toMillis() + 5_000;
        List<NotificationQueue.Claimed> claimed;
        do {
            claimed = queue.claim(CLAIM);
            List<Future<?>> posts = new ArrayList<>(claimed.size());
            for (NotificationQueue.Claimed subscription : claimed) {
                posts.add(posters.submit(() -> deliver(subscription)));
            }
            long deadline = System.currentTimeMillis() + budgetMillis;
            for (Future<?> post : posts) {
                try {
                    post.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.error("a notification delivery failed unexpectedly", e.getCause());
                } catch (TimeoutException e) {
                    post.cancel(true);
                    LOG.warn("a notification delivery outlived its timeout and was abandoned");
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
                queue.release(subscription);
            }
            return;
        }
        if (handshake != (pending.get(0).eventNumber() == 0)) {
            if (handshake) {
                // Requested, but its handshake is not queued (it went with a delivery overtaken by a change):
                // only a handshake makes a subscription active, so one is queued again.
                queue.queueHandshake(subscription.id());
                queue.release(subscription);
            } else {
                // A handshake row left behind by a status that has changed since: it is done with.
                queue.delivered(subscription, 0);
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
            if (queue.delivered(subscription, last) && handshake) {
                store.changeStatus(subscription.id(), subscription.version(), SubscriptionStatus.ACTIVE, null);
            }
            return;
        }
        int failures = queue.failed(subscription, retryDelay(subscription.failures() + 1));
        int allowed = handshake ? config.handshakeAttempts() : config.maxFailures();
        LOG.infof("%s to Subscription/%s failed (%d of %d): %s", type, subscription.id(), failures, allowed, failure);
        if (failures >= allowed) {
            store.changeStatus(
                    subscription.id(),
                    subscription.version(),
                    SubscriptionStatus.ERROR,
                    (handshake ? "The handshake" : "Delivery") + " failed " + failures + " times; last: " + failure);
        }
    }

    /** Posts one notification; null when the endpoint accepted it (2xx), else why not (see WebhookPoster). */
    private String post(NotificationQueue.Claimed subscription, String type, List<NotificationQueue.Pending> events) {
        EndpointPolicy.Approved endpoint;
        try {
            endpoint = store.endpoints().approve(subscription.endpoint(), "Subscription.channel.endpoint");
        } catch (FhirException refused) {
            return refused.getMessage();
        }
        String body = fhir.newJsonParser()
                .encodeResourceToString(NotificationBundles.notification(subscription, type, events));
        return poster.post(endpoint, subscription.headers(), body);
    }

    /** One second after the first failure, doubling, up to the configured longest wait. */
    private Duration retryDelay(int failures) {
        Duration delay = Duration.ofSeconds(1L << Math.min(failures - 1, 20));
        return delay.compareTo(config.maxRetryDelay()) > 0 ? config.maxRetryDelay() : delay;
    }
}
