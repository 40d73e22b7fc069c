package health.tessera.gateway.audit;

import health.tessera.events.AuditRecorded;
import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.FhirRequestFilters;
import health.tessera.fhir.OperationOutcomes;
import health.tessera.fhir.ResourceOwnership;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.io.Closeable;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * One audit event for every FHIR and admin request at the gateway, allowed or denied (ARCHITECTURE.md §3): the
 * response is held until {@link AuditTrail} has the event acknowledged, and replaced by a 503 when it cannot be
 * recorded (fail closed), so no answer leaves the gateway unaccounted for.
 */
public class AuditFilter {

    private static final String SOURCE_ADDRESS = "tessera.audit.source-address";
    private static final String RAW_PATH = "tessera.audit.path";
    private static final String RAW_QUERY = "tessera.audit.query";
    /** Upstream headers that describe a result the caller will not get when the audit fails. */
    private static final List<String> RESULT_HEADERS =
            List.of("Location", "Content-Location", "ETag", "Last-Modified", "Content-Length");

    @Inject
    AuditTrail trail;

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    io.quarkus.vertx.http.runtime.CurrentVertxRequest currentRequest;

    /**
     * The caller's address and the request's path and query exactly as sent (a malformed escape included, which
     * the URI the endpoints see cannot hold), read while the connection is at hand.
     */
    @ServerRequestFilter(preMatching = true)
    public void rememberSource(ContainerRequestContext request, HttpServerRequest http) {
        if (http.remoteAddress() != null) {
            request.setProperty(SOURCE_ADDRESS, http.remoteAddress().hostAddress());
        }
        request.setProperty(RAW_PATH, http.path());
        if (http.query() != null) {
            request.setProperty(RAW_QUERY, http.query());
        }
    }

    // Response filters run from the highest priority to the lowest: this one last, once the status is final.
    @ServerResponseFilter(priority = 1)
    public Uni<Void> audit(ContainerRequestContext request, ContainerResponseContext response) {
        Object rawPath = request.getProperty(RAW_PATH);
        String path = rawPath == null ? request.getUriInfo().getPath() : rawPath.toString();
        if (!audited(path)) {
            return Uni.createFrom().voidItem();
        }
        int status = response.getStatus();
        String method = request.getMethod();
        Object rawQuery = request.getProperty(RAW_QUERY);
        String query = rawQuery == null ? null : rawQuery.toString();
        AuditedRequest what = AuditedRequest.of(method, path, query);
        Object correlationId = request.getProperty(FhirRequestFilters.CORRELATION_MDC_KEY);
        io.vertx.ext.web.RoutingContext exchange = currentRequest.getCurrent();
        String answeredBy = exchange == null ? null : exchange.get(ANSWERED_BY);
        Object source = request.getProperty(SOURCE_ADDRESS);
        return identities
                .getDeferredIdentity()
                .map(AuditFilter::agentOf)
                .onFailure()
                .recoverWithItem(AuditRecorded.Agent.ANONYMOUS)
                .map(agent -> new AuditRecorded(
                        Instant.now(),
                        what.action(),
                        what.interaction(),
                        method,
                        path,
                        query,
                        what.resourceType(),
                        what.resourceId(),
                        what.patientId(),
                        status,
                        outcomeOf(status),
                        agent,
                        source == null ? null : source.toString(),
                        answeredBy))
                .flatMap(audit -> trail.record(audit, correlationId == null ? null : correlationId.toString()))
                .onFailure()
                .recoverWithItem(failure -> {
                    failClosed(method, response);
                    return null;
                });
    }

    /** FHIR and the operators' admin API; health probes and SMART discovery hold no one's data. */
    static boolean audited(String path) {
        return path.equals("/fhir") || path.startsWith("/fhir/") || path.startsWith("/mpi/");
    }

    static String outcomeOf(int status) {
        if (status < 400) {
            return "0";
        }
        return status < 500 ? "4" : "8";
    }

    /** Where the exchange keeps the name of the service that answered, for the audit event. */
    private static final String ANSWERED_BY = "tessera.audit.answered-by";

    /** Notes on the exchange that {@code owner} answered (the gateway forwarded the request and got a response). */
    public static void noteAnsweredBy(io.vertx.ext.web.RoutingContext exchange, ResourceOwnership owner) {
        if (exchange != null) {
            exchange.put(ANSWERED_BY, owner.serviceName());
        }
    }

    private static AuditRecorded.Agent agentOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return AuditRecorded.Agent.ANONYMOUS;
        }
        Object scope = Caller.claimOf(token, "scope");
        return new AuditRecorded.Agent(
                Caller.clientIdOf(token),
                claim(token, Caller.ORGANIZATION_CLAIM),
                claim(token, "preferred_username"),
                token.getSubject(),
                Caller.patientContextOf(token),
                scope == null
                        ? List.of()
                        : Arrays.stream(scope.toString().split(" "))
                                .filter(s -> !s.isBlank())
                                .toList());
    }

    private static String claim(JsonWebToken token, String name) {
        Object value = Caller.claimOf(token, name);
        return value == null ? null : value.toString();
    }

    /** The answer is withheld: 503, and a streamed body from the service is closed unread. */
    private static void failClosed(String method, ContainerResponseContext response) {
        if (response.getEntity() instanceof Closeable body) {
            try {
                body.close();
            } catch (IOException ignored) {
                // the service's connection is dropped either way
            }
        }
        RESULT_HEADERS.forEach(response.getHeaders()::remove);
        boolean write = !method.equals("GET") && !method.equals("HEAD");
        response.setStatus(503);
        response.getHeaders().putSingle("Retry-After", "5");
        response.setEntity(
                OperationOutcomes.error(
                        IssueType.TRANSIENT,
                        "The request could not be audited, so its answer is withheld; try again shortly"
                                + (write
                                        ? " (a change it made may have been saved: check before sending it again)"
                                        : "")),
                new Annotation[0],
                FhirMediaType.JSON_TYPE);
    }
}
