package health.tessera.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.tessera.fhir.ResourceOwnership;
import health.tessera.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code GET /openapi}: one OpenAPI document for everything behind the gateway, the services' own documents
 * ({@code /q/openapi}) merged: their paths and schemas under the gateway's address, with its bearer-token security.
 * Public, like the CapabilityStatement; a service that does not answer is left out.
 */
@Path("/openapi")
@PermitAll
public class PlatformOpenApi {

    private static final Logger LOG = Logger.getLogger(PlatformOpenApi.class);

    private final WebClient client;
    private final GatewayConfig config;
    private final ObjectMapper json;

    public PlatformOpenApi(Vertx vertx, GatewayConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JsonNode> document(UriInfo uri) {
        List<Uni<JsonNode>> fetches = new ArrayList<>();
        for (ResourceOwnership owner : ResourceOwnership.values()) {
            fetches.add(fetch(owner));
        }
        return Uni.join().all(fetches).andFailFast().map(documents -> merge(documents, uri));
    }

    private Uni<JsonNode> fetch(ResourceOwnership owner) {
        return client.getAbs(config.services().get(owner.serviceName()) + "/q/openapi?format=json")
                .timeout(5_000)
                .send()
                .map(response -> {
                    try {
                        return response.statusCode() == 200 ? json.readTree(response.bodyAsString()) : null;
                    } catch (java.io.IOException e) {
                        return null;
                    }
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf("no OpenAPI document from %s: %s", owner.serviceName(), failure.toString());
                    return null;
                });
    }

    private JsonNode merge(List<JsonNode> documents, UriInfo uri) {
        ObjectNode merged = json.createObjectNode();
        merged.put("openapi", "3.0.3");
        merged.putObject("info")
                .put("title", "Tessera health information exchange")
                .put("version", "0.1.0")
                .put(
                        "description",
                        "Every API behind the gateway: FHIR R4 at /fhir (see /fhir/metadata for the FHIR view) and"
                                + " the operators' /mpi API. Bearer tokens from the platform's Keycloak (SMART on FHIR v2).");
        merged.putArray("servers")
                .addObject()
                .put("url", uri.getBaseUri().toString().replaceAll("/$", ""));
        ObjectNode paths = merged.putObject("paths");
        ObjectNode schemas = merged.putObject("components").putObject("schemas");
        ((ObjectNode) merged.get("components"))
                .putObject("securitySchemes")
                .putObject("bearer")
                .put("type", "http")
                .put("scheme", "bearer")
                .put("bearerFormat", "JWT");
        merged.putArray("security").addObject().putArray("bearer");
        for (JsonNode document : documents) {
            if (document == null) {
                continue;
            }
            document.path("paths").fields().forEachRemaining(path -> {
                if (path.getKey().startsWith("/fhir") || path.getKey().startsWith("/mpi")) {
                    paths.set(path.getKey(), path.getValue());
                }
            });
            document.path("components")
                    .path("schemas")
                    .fields()
                    .forEachRemaining(schema -> schemas.set(schema.getKey(), schema.getValue()));
        }
        return merged;
    }
}
