package health.tessera.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /openapi}: one OpenAPI document for everything behind the gateway, the services' own documents
 * ({@code /q/openapi}) merged: their paths and schemas under the gateway's address, with its bearer-token security.
 * Public, like the CapabilityStatement; a service that does not answer is left out.
 */
@Path("/openapi")
@PermitAll
public class PlatformOpenApi {

    private final ServiceDocuments documents;
    private final ObjectMapper json;

    public PlatformOpenApi(ServiceDocuments documents, ObjectMapper json) {
        this.documents = documents;
        this.json = json;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JsonNode> document(UriInfo uri) {
        return documents
                .fromEveryService("/q/openapi?format=json", "application/json")
                .map(bodies -> {
                    List<JsonNode> parsed = new ArrayList<>();
                    for (String body : bodies) {
                        try {
                            parsed.add(body == null ? null : json.readTree(body));
                        } catch (java.io.IOException e) {
                            parsed.add(null); // an unreadable document is left out like a missing one
                        }
                    }
                    return merge(parsed, uri);
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
