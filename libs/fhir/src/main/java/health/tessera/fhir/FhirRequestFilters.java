package health.tessera.fhir;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Request plumbing every FHIR endpoint shares: raw characters in the URI made safe ({@link RawQueryCharacters}),
 * the body size limits, the correlation id (taken from {@code X-Correlation-Id} or
 * made, put in the log context and echoed back) and the {@code _format} parameter, which overrides
 * {@code Accept} as the FHIR spec says.
 */
public class FhirRequestFilters {

    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    /** The MDC key JSON logs and the outbox read the correlation id from. */
    public static final String CORRELATION_MDC_KEY = "correlationId";

    private static final Pattern SAFE_CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    /** The largest request body accepted, in bytes ({@code tessera.limits.max-body-size}, e.g. 16M). */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "tessera.limits.max-body-size", defaultValue = "16M")
    io.quarkus.runtime.configuration.MemorySize maxBodySize;

    /** The largest batch or transaction Bundle accepted at the base URL ({@code tessera.limits.max-bundle-size}). */
    @org.eclipse.microprofile.config.inject.ConfigProperty(
            name = "tessera.limits.max-bundle-size",
            defaultValue = "256M")
    io.quarkus.runtime.configuration.MemorySize maxBundleSize;

    @ServerRequestFilter(preMatching = true)
    public void onRequest(ContainerRequestContext request, io.vertx.core.http.HttpServerRequest http) {
        String correlationId = request.getHeaderString(CORRELATION_HEADER);
        if (correlationId == null || !SAFE_CORRELATION_ID.matcher(correlationId).matches()) {
            correlationId = UUID.randomUUID().toString();
            request.getHeaders().putSingle(CORRELATION_HEADER, correlationId);
        }
        MDC.put(CORRELATION_MDC_KEY, correlationId);
        request.setProperty(CORRELATION_MDC_KEY, correlationId);

        String raw = http.uri();
        if (RawQueryCharacters.malformedEscape(raw)) {
            throw FhirException.badRequest("The request URI has a malformed %-escape");
        }
        if (RawQueryCharacters.present(raw)) {
            String encoded = RawQueryCharacters.encode(raw);
            try {
                java.net.URI base = java.net.URI.create(http.scheme() + "://" + request.getHeaderString("Host"));
                request.setRequestUri(base.resolve("/"), base.resolve(encoded));
            } catch (IllegalArgumentException e) {
                throw FhirException.badRequest("The request URI is malformed");
            }
        }

        String length = request.getHeaderString(jakarta.ws.rs.core.HttpHeaders.CONTENT_LENGTH);
        long limit = isBundlePost(request) ? maxBundleSize.asLongValue() : maxBodySize.asLongValue();
        if (length != null
                && !length.isEmpty()
                && length.chars().allMatch(Character::isDigit)
                && (length.length() > 18 || Long.parseLong(length) > limit)) {
            throw FhirException.tooLarge("The body", limit);
        }

        MediaType format = FhirMediaType.fromFormatParameter(
                request.getUriInfo().getQueryParameters().getFirst("_format"));
        if (format != null) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, format.toString());
        }
    }

    /** A batch or transaction Bundle: a POST to the FHIR base URL, which has its own, larger limit. */
    private static boolean isBundlePost(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return "POST".equals(request.getMethod()) && (path.equals("/fhir") || path.equals("/fhir/"));
    }

    @ServerResponseFilter
    public void onResponse(ContainerRequestContext request, ContainerResponseContext response) {
        Object correlationId = request.getProperty(CORRELATION_MDC_KEY);
        if (correlationId != null) {
            response.getHeaders().putSingle(CORRELATION_HEADER, correlationId);
        }
        MDC.remove(CORRELATION_MDC_KEY);
    }
}
