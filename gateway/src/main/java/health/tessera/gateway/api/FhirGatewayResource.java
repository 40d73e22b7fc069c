package health.tessera.gateway.api;

import health.tessera.fhir.FhirException;
import health.tessera.fhir.FhirRequestFilters;
import health.tessera.fhir.ResourceOwnership;
import health.tessera.gateway.audit.AuditFilter;
import health.tessera.gateway.config.GatewayConfig;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.logging.Logger;

/**
 * The platform's one FHIR base URL. Every request needs a valid token here (and again at the service, which
 * validates it too); it then goes to the service that owns the resource type in its path, with the caller's
 * headers, the correlation id and the gateway's public address for the links the service writes.
 */
@Path("/fhir")
@Authenticated
@ApplicationScoped
public class FhirGatewayResource {

    private static final Logger LOG = Logger.getLogger(FhirGatewayResource.class);

    /** Request headers passed to the service; everything else (cookies, hop-by-hop headers) stays here. */
    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of(
            HttpHeaders.AUTHORIZATION,
            HttpHeaders.CONTENT_TYPE,
            HttpHeaders.ACCEPT,
            "Prefer",
            HttpHeaders.IF_MATCH,
            HttpHeaders.IF_NONE_MATCH,
            "If-None-Exist",
            "X-Tessera-Validation",
            HttpHeaders.IF_MODIFIED_SINCE,
            FhirRequestFilters.CORRELATION_HEADER);
    /** Response headers passed back to the caller. */
    private static final Set<String> FORWARDED_RESPONSE_HEADERS = Set.of(
            "content-type", "location", "content-location", "etag", "last-modified", "retry-after", "www-authenticate");

    private final Vertx vertx;
    /** For requests forwarded from a worker thread (single-resource writes, whose body is read blocking). */
    private final WebClient sharedClient;
    /**
     * One client per event loop, used only from that loop: its pooled connections to the services belong to the
     * loop that forwards the request and reads the answer. With one client for all loops, a request was written
     * on the connection's loop and answered back on its own: two hand-offs between threads per request, each
     * waking another loop: 8% of the gateway's Java samples under load, and with one client the gateway added
     * 1.7-2.2 ms to a read before, 1.0-1.1 ms after (GatewayOverheadBench).
     */
    private final java.util.Map<Thread, WebClient> clientsByEventLoop = new java.util.concurrent.ConcurrentHashMap<>();
    /** For Bundles, streamed both ways (Vert.x's WebClient would buffer them whole). */
    private final java.net.http.HttpClient streamingClient = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .connectTimeout(java.time.Duration.ofSeconds(2))
            .build();

    private final GatewayConfig config;

    @jakarta.inject.Inject
    io.quarkus.vertx.http.runtime.CurrentVertxRequest currentRequest;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "tessera.limits.max-body-size")
    io.quarkus.runtime.configuration.MemorySize maxBodySize;

    private final SmartConfigurationResource smart;
    private final PlatformCapabilities capabilities;

    public FhirGatewayResource(
            Vertx vertx, GatewayConfig config, SmartConfigurationResource smart, PlatformCapabilities capabilities) {
        this.config = config;
        this.smart = smart;
        this.capabilities = capabilities;
        this.vertx = vertx;
        this.sharedClient = newClient(vertx);
    }

    private static WebClient newClient(Vertx vertx) {
        return WebClient.create(
                vertx,
                new WebClientOptions()
                        .setKeepAlive(true)
                        .setMaxPoolSize(64)
                        .setConnectTimeout(2_000)
                        .setFollowRedirects(false));
    }

    /** The client of the event loop this runs on, or the shared one off the event loops. */
    private WebClient client() {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            return sharedClient;
        }
        return clientsByEventLoop.computeIfAbsent(Thread.currentThread(), loop -> newClient(vertx));
    }

    @PreDestroy
    void close() {
        sharedClient.close();
        clientsByEventLoop.values().forEach(WebClient::close);
    }

    /** The platform's CapabilityStatement, every service's merged (public, as the spec expects). */
    @GET
    @Path("metadata")
    @jakarta.annotation.security.PermitAll
    public Uni<org.hl7.fhir.r4.model.CapabilityStatement> metadata() {
        return capabilities.statement();
    }

    /** SMART discovery at the FHIR base URL, where SMART clients look for it (public). */
    @GET
    @Path(".well-known/smart-configuration")
    @jakarta.annotation.security.PermitAll
    @jakarta.ws.rs.Produces(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
    public java.util.Map<String, Object> smartConfiguration() {
        return smart.configuration();
    }

    @GET
    @Path("{type}{rest: (/.*)?}")
    public Uni<Response> get(@PathParam("type") String type, UriInfo uri, HttpHeaders headers) {
        return forward(HttpMethod.GET, type, uri, headers, null);
    }

    @HEAD
    @Path("{type}{rest: (/.*)?}")
    public Uni<Response> head(@PathParam("type") String type, UriInfo uri, HttpHeaders headers) {
        return forward(HttpMethod.HEAD, type, uri, headers, null);
    }

    @POST
    @Path("{type}{rest: (/.*)?}")
    @io.smallrye.common.annotation.Blocking
    public Uni<Response> post(
            @PathParam("type") String type, UriInfo uri, HttpHeaders headers, java.io.InputStream body) {
        return forward(HttpMethod.POST, type, uri, headers, bounded(body));
    }

    @PUT
    @Path("{type}{rest: (/.*)?}")
    @io.smallrye.common.annotation.Blocking
    public Uni<Response> put(
            @PathParam("type") String type, UriInfo uri, HttpHeaders headers, java.io.InputStream body) {
        return forward(HttpMethod.PUT, type, uri, headers, bounded(body));
    }

    @PATCH
    @Path("{type}{rest: (/.*)?}")
    @io.smallrye.common.annotation.Blocking
    public Uni<Response> patch(
            @PathParam("type") String type, UriInfo uri, HttpHeaders headers, java.io.InputStream body) {
        return forward(HttpMethod.PATCH, type, uri, headers, bounded(body));
    }

    @DELETE
    @Path("{type}{rest: (/.*)?}")
    public Uni<Response> delete(@PathParam("type") String type, UriInfo uri, HttpHeaders headers) {
        return forward(HttpMethod.DELETE, type, uri, headers, null);
    }

    /**
     * The body of a single-resource write, read up to the body limit: a chunked body has no Content-Length for
     * the request filter to check, so it is counted while read (and never held past the limit).
     */
    byte[] bounded(java.io.InputStream body) {
        long limit = maxBodySize.asLongValue();
        try (java.io.InputStream in = new health.tessera.fhir.LimitedInputStream(body, limit)) {
            return in.readAllBytes();
        } catch (health.tessera.fhir.LimitedInputStream.TooLarge e) {
            throw FhirException.tooLarge("The body", limit);
        } catch (java.io.IOException e) {
            throw FhirException.badRequest("The request body could not be read");
        }
    }

    /**
     * Batch and transaction Bundles at the base URL: records-service processes them. A Bundle can be a
     * patient's whole life (90 MB), so it is streamed through in both directions rather than held in the heap,
     * on a worker thread with the JDK client; the request's Content-Length is passed on so records-service can
     * refuse an oversized Bundle before reading it.
     */
    @POST
    @io.smallrye.common.annotation.Blocking
    public Response bundle(UriInfo uri, HttpHeaders headers, java.io.InputStream body) {
        String length = headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        java.net.http.HttpRequest.BodyPublisher publisher =
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> body);
        if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty()) {
            publisher = java.net.http.HttpRequest.BodyPublishers.fromPublisher(publisher, Long.parseLong(length));
        }
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                        target(ResourceOwnership.RECORDS, uri))
                .timeout(config.bundleTimeout())
                .POST(publisher);
        forwardedHeaders(uri, headers).forEach(request::header);
        java.net.http.HttpResponse<java.io.InputStream> upstream;
        try {
            upstream = streamingClient.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.io.IOException e) {
            throw unavailable(ResourceOwnership.RECORDS, HttpMethod.POST, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(ResourceOwnership.RECORDS, HttpMethod.POST, e);
        }
        AuditFilter.noteAnsweredBy(currentRequest.getCurrent(), ResourceOwnership.RECORDS);
        Response.ResponseBuilder response = Response.status(upstream.statusCode());
        upstream.headers().map().forEach((name, values) -> {
            if (FORWARDED_RESPONSE_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.entity(upstream.body()).build();
    }

    private Uni<Response> forward(HttpMethod method, String type, UriInfo uri, HttpHeaders headers, byte[] body) {
        ResourceOwnership owner = ResourceOwnership.ownerOfOperation(uri.getPath(), uri.getQueryParameters())
                .or(() -> ResourceOwnership.ownerOf(type))
                .orElseThrow(() -> new FhirException(
                        404, IssueType.NOTSUPPORTED, "Resource type " + type + " is not served here"));
        return forwardTo(owner, method, uri, headers, body);
    }

    /** Sends the request on to {@code owner} unchanged (path, query, the headers services need, body). */
    Uni<Response> forwardTo(ResourceOwnership owner, HttpMethod method, UriInfo uri, HttpHeaders headers, byte[] body) {
        HttpRequest<Buffer> request = client().requestAbs(
                        method, target(owner, uri).toString())
                .timeout(config.upstreamTimeout().toMillis());
        forwardedHeaders(uri, headers).forEach(request::putHeader);
        Uni<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
        io.vertx.ext.web.RoutingContext exchange = currentRequest.getCurrent(); // (the callback runs off the request)
        return sent.map(upstream -> {
                    AuditFilter.noteAnsweredBy(exchange, owner);
                    return toResponse(upstream);
                })
                .onFailure()
                .transform(failure -> unavailable(owner, method, failure));
    }

    /** The same path and query at the owning service. */
    private URI target(ResourceOwnership owner, UriInfo uri) {
        return URI.create(config.services().get(owner.serviceName())
                + uri.getRequestUri().getRawPath()
                + (uri.getRequestUri().getRawQuery() == null
                        ? ""
                        : "?" + uri.getRequestUri().getRawQuery()));
    }

    /** The caller's headers the service needs, and the gateway's public address for the links it writes. */
    private static java.util.Map<String, String> forwardedHeaders(UriInfo uri, HttpHeaders headers) {
        java.util.Map<String, String> forwarded = new java.util.LinkedHashMap<>();
        for (String name : FORWARDED_REQUEST_HEADERS) {
            String value = headers.getHeaderString(name);
            if (value != null) {
                forwarded.put(name, value);
            }
        }
        URI publicBase = uri.getBaseUri();
        forwarded.put("X-Forwarded-Proto", publicBase.getScheme());
        forwarded.put(
                "X-Forwarded-Host",
                publicBase.getPort() < 0 ? publicBase.getHost() : publicBase.getHost() + ":" + publicBase.getPort());
        return forwarded;
    }

    private static FhirException unavailable(ResourceOwnership owner, HttpMethod method, Throwable failure) {
        LOG.warnf("upstream %s %s failed: %s", owner.serviceName(), method, failure.toString());
        if (failure instanceof java.util.concurrent.TimeoutException
                || failure instanceof java.net.http.HttpTimeoutException
                || failure.getClass().getSimpleName().contains("Timeout")) {
            // Not "try again": a write may still commit after the gateway stopped waiting for it.
            return new FhirException(
                    504,
                    IssueType.TIMEOUT,
                    "The " + owner.serviceName() + " service did not answer in time; the request may still"
                            + " complete, so check its outcome before sending it again");
        }
        return new FhirException(
                503,
                IssueType.TRANSIENT,
                "The " + owner.serviceName() + " service is not available; try again shortly");
    }

    private static Response toResponse(HttpResponse<Buffer> upstream) {
        Response.ResponseBuilder response = Response.status(upstream.statusCode());
        upstream.headers().forEach(header -> {
            if (FORWARDED_RESPONSE_HEADERS.contains(header.getKey().toLowerCase())) {
                response.header(header.getKey(), header.getValue());
            }
        });
        Buffer body = upstream.body();
        if (body != null && body.length() > 0) {
            response.entity(body.getBytes());
        }
        return response.build();
    }
}
