package health.tessera.bench;

import health.tessera.testkit.KeycloakTokens;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP calls of the benchmarks to the running platform. A service being restarted (no connection, or a quick
 * 503 "try again shortly") is waited out for up to a minute; the waits are counted in {@link #RETRIES} so a table
 * measured across a restart can say so.
 */
final class PlatformHttp {

    static final AtomicInteger RETRIES = new AtomicInteger();
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final Duration QUICK_ANSWER = Duration.ofSeconds(10);

    private PlatformHttp() {}

    /** An HTTP/1.1 client: one connection at a time per client, as a provider system would use it. */
    static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static HttpRequest.Builder request(String url, KeycloakTokens.Client caller) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", KeycloakTokens.bearer(caller))
                .header("Accept", "application/fhir+json");
    }

    /** Sends {@code request}, again after a second while the service is unreachable or answers 503. */
    static HttpResponse<String> send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + OUTAGE.toNanos();
        while (true) {
            long sent = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                // Only a quick 503 is a service not there: a slow one may be a gateway timeout on a write that
                // still happens, which must not be sent twice.
                if (response.statusCode() != 503
                        || System.nanoTime() - sent > QUICK_ANSWER.toNanos()
                        || System.nanoTime() > deadline) {
                    return response;
                }
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            RETRIES.incrementAndGet();
            Thread.sleep(1000);
        }
    }

    /** {@link #send} that expects {@code status}; anything else is an exception with the answer in it. */
    static String expect(HttpClient http, HttpRequest request, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = send(http, request);
        if (response.statusCode() != status) {
            String body = response.body() == null ? "" : response.body();
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + " (expected " + status + "): "
                    + body.substring(0, Math.min(body.length(), 600)));
        }
        return response.body();
    }
}
