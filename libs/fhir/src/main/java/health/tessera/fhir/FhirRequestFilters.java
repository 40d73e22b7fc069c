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
 * Request plumbing every FHIR endpoint shares: the correlation id (taken from {@code X-Correlation-Id} or
 * made, put in the log context and echoed back) and the {@code _format} parameter, which overrides
 * {@code Accept} as the FHIR spec says.
 */
public class FhirRequestFilters {

    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    /** The MDC key JSON logs and the outbox read the correlation id from. */
    public static final String CORRELATION_MDC_KEY = "correlationId";

    private static final Pattern SAFE_CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    @ServerRequestFilter(preMatching = true)
    public void onRequest(ContainerRequestContext request) {
        String correlationId = request.getHeaderString(CORRELATION_HEADER);
        if (correlationId == null || !SAFE_CORRELATION_ID.matcher(correlationId).matches()) {
            correlationId = UUID.randomUUID().toString();
            request.getHeaders().putSingle(CORRELATION_HEADER, correlationId);
        }
        MDC.put(CORRELATION_MDC_KEY, correlationId);
        request.setProperty(CORRELATION_MDC_KEY, correlationId);

        MediaType format = FhirMediaType.fromFormatParameter(
                request.getUriInfo().getQueryParameters().getFirst("_format"));
        if (format != null) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, format.toString());
        }
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
