package health.tessera.exchange.subscription;

import health.tessera.fhir.FhirMediaType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Posts one notification to an endpoint the {@link EndpointPolicy} approved. It connects to the address the policy
 * checked, with no name lookup of its own (so DNS rebinding cannot move it), while the Host header, TLS server name
 * and certificate check still use the endpoint's host name. Redirects are not followed: a redirect could lead to an
 * address the policy refuses. The whole exchange, the response body included (read and dropped), is bounded by the
 * delivery timeout, so an endpoint that trickles its answer cannot hold a delivery.
 */
final class WebhookPoster {

    /** Headers the exchange writes itself (or the transport owns); a subscriber's channel.header may not set them. */
    private static final Set<String> RESERVED = Set.of(
            "host",
            "content-length",
            "content-type",
            "transfer-encoding",
            "connection",
            "keep-alive",
            "upgrade",
            "expect",
            "te",
            "trailer",
            "proxy-connection");

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final HttpClient http;
    private final Duration timeout;

    WebhookPoster(Vertx vertx, Duration timeout) {
        this.timeout = timeout;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setName("subscription-notifications")
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setVerifyHost(true));
    }

    /**
     * Why a {@code channel.header} line cannot be sent, or null when it can: it must be one {@code Name: value} line
     * with a valid name that is not one of the headers the exchange writes itself.
     */
    static String headerProblem(String line) {
        int colon = line == null ? -1 : line.indexOf(':');
        if (colon <= 0 || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0 || line.indexOf('\0') >= 0) {
            return "each channel.header is one 'Name: value' line";
        }
        String name = line.substring(0, colon).strip();
        if (!TOKEN.matcher(name).matches()) {
            return "'" + name + "' is not a header name";
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return "the exchange sets the " + name + " header itself";
        }
        return null;
    }

    /**
     * Posts {@code body} with the subscriber's {@code headers}; null when the endpoint accepted it (2xx), else why
     * not, in words that say what went wrong without describing the network behind the endpoint (the reason is shown
     * to the subscriber).
     */
    String post(EndpointPolicy.Approved endpoint, List<String> headers, String body) {
        URI uri = endpoint.uri();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(uri.getHost())
                .setPort(port)
                .setSsl(https)
                .setURI(target)
                .setServer(
                        SocketAddress.inetSocketAddress(port, endpoint.address().getHostAddress()))
                .setFollowRedirects(false)
                .setIdleTimeout(timeout.toMillis())
                .putHeader("Content-Type", FhirMediaType.JSON);
        for (String header : headers) {
            String problem = headerProblem(header);
            if (problem != null) {
                return "a channel.header cannot be sent: " + problem;
            }
            int colon = header.indexOf(':');
            options.addHeader(
                    header.substring(0, colon).strip(),
                    header.substring(colon + 1).strip());
        }
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        Future<Integer> status = http.request(options).compose(request -> {
            sent.set(request);
            return request.send(Buffer.buffer(body)).compose(response -> {
                response.handler(chunk -> {});
                return response.end().map(ended -> response.statusCode());
            });
        });
        try {
            int code = status.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return code / 100 == 2 ? null : "the endpoint answered HTTP " + code;
        } catch (TimeoutException e) {
            abandon(sent.get());
            return notInTime();
        } catch (ExecutionException e) {
            return e.getCause() instanceof TimeoutException // the idle timeout
                    ? notInTime()
                    : "the endpoint could not be reached";
        } catch (InterruptedException e) {
            abandon(sent.get());
            Thread.currentThread().interrupt();
            return "delivery interrupted";
        }
    }

    private String notInTime() {
        return "the endpoint did not answer within " + timeout.toSeconds() + " s";
    }

    private static void abandon(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    void close() {
        http.close();
    }
}
