package health.tessera.exchange.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Posting to an approved endpoint: to the checked address only, with the subscriber's headers, bounded in time. */
class WebhookPosterTest {

    private final Vertx vertx = Vertx.vertx();
    private final WebhookPoster poster = new WebhookPoster(vertx, Duration.ofSeconds(1));
    private final Map<String, String> received = new ConcurrentHashMap<>();
    private HttpServer endpoint;

    @BeforeEach
    void startEndpoint() throws Exception {
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/hook", exchange -> {
            received.put("host", exchange.getRequestHeaders().getFirst("Host"));
            received.put(
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            received.put("content-type", exchange.getRequestHeaders().getFirst("Content-Type"));
            received.put("query", String.valueOf(exchange.getRequestURI().getRawQuery()));
            received.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        endpoint.createContext("/refuses", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        endpoint.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        endpoint.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.stop(0);
        poster.close();
        vertx.close();
    }

    @Test
    void connectsToTheAddressThatWasCheckedWithoutLookingTheNameUpAgain() {
        // The name answers the loopback address once (the check), then an inside address (a rebinding).
        // .invalid never resolves in real DNS: a post that looked the name up itself could not connect at all.
        AtomicInteger lookups = new AtomicInteger();
        EndpointPolicy policy = new EndpointPolicy(true, host -> {
            if (lookups.getAndIncrement() == 0) {
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            }
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 0, 0, 1})};
        });
        String url = "http://rebinding.invalid:" + endpoint.getAddress().getPort() + "/hook?channel=7";
        EndpointPolicy.Approved approved = policy.approve(url, "e");

        String failure = poster.post(approved, List.of("Authorization: Bearer abc"), "{\"resourceType\":\"Bundle\"}");

        assertThat(failure).isNull();
        assertThat(lookups).hasValue(1);
        assertThat(received)
                .containsEntry(
                        "host", "rebinding.invalid:" + endpoint.getAddress().getPort())
                .containsEntry("authorization", "Bearer abc")
                .containsEntry("content-type", "application/fhir+json")
                .containsEntry("query", "channel=7")
                .containsEntry("body", "{\"resourceType\":\"Bundle\"}");
    }

    @Test
    void aRefusalATimeoutAndAnUnreachableEndpointAreReasonsNotExceptions() throws UnknownHostException {
        int port = endpoint.getAddress().getPort();
        EndpointPolicy policy = new EndpointPolicy(true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()});
        assertThat(poster.post(policy.approve("http://hook.test:" + port + "/refuses", "e"), List.of(), "{}"))
                .isEqualTo("the endpoint answered HTTP 503");
        assertThat(poster.post(policy.approve("http://hook.test:" + port + "/slow", "e"), List.of(), "{}"))
                .isEqualTo("the endpoint did not answer within 1 s");
        endpoint.stop(0);
        assertThat(poster.post(policy.approve("http://hook.test:" + port + "/hook", "e"), List.of(), "{}"))
                .isEqualTo("the endpoint could not be reached");
    }

    @Test
    void headersTheExchangeWritesItselfCannotBeSet() {
        assertThat(WebhookPoster.headerProblem("Authorization: Bearer abc")).isNull();
        assertThat(WebhookPoster.headerProblem("X-Tenant:  7 ")).isNull();
        for (String reserved : new String[] {"Host: inside.local", "content-length: 0", "Transfer-Encoding: chunked"}) {
            assertThat(WebhookPoster.headerProblem(reserved)).as(reserved).contains("sets the");
        }
        for (String malformed : new String[] {"no colon", ": no name", "Bad Name: x", "X-A: b\r\nX-B: c", null}) {
            assertThat(WebhookPoster.headerProblem(malformed)).as(malformed).isNotNull();
        }
        EndpointPolicy policy = new EndpointPolicy(true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()});
        assertThat(poster.post(
                        policy.approve(
                                "http://hook.test:" + endpoint.getAddress().getPort() + "/hook", "e"),
                        List.of("Host: metadata.internal"),
                        "{}"))
                .startsWith("a channel.header cannot be sent");
        assertThat(received).isEmpty();
    }
}
