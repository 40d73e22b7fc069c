package health.tessera.fhir;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.hl7.fhir.r4.model.Resource;

/** The HTTP shape of FHIR answers: versioned Location, weak ETag, Last-Modified and {@code Prefer: return=}. */
public final class FhirResponses {

    private FhirResponses() {}

    /** 200 with the resource, its ETag and Last-Modified. */
    public static Response ok(Resource resource) {
        return withVersionHeaders(Response.ok(resource), resource).build();
    }

    /** 200 for an updated resource, with the body {@code Prefer} asks for. */
    public static Response updated(Resource resource, String prefer) {
        return withPreferredBody(withVersionHeaders(Response.ok(), resource), resource, prefer, "Updated ");
    }

    /** 201 for a created resource, with the body {@code Prefer} asks for (the resource by default). */
    public static Response created(Resource resource, String prefer, UriInfo uri) {
        URI location = uri.getBaseUriBuilder()
                .path("fhir")
                .path(resource.fhirType())
                .path(resource.getIdElement().getIdPart())
                .path("_history")
                .path(resource.getMeta().getVersionId())
                .build();
        return withPreferredBody(
                withVersionHeaders(Response.created(location), resource), resource, prefer, "Created ");
    }

    private static Response withPreferredBody(
            Response.ResponseBuilder response, Resource resource, String prefer, String verb) {
        return switch (preferredReturn(prefer)) {
            case "minimal" -> response.build();
            case "OperationOutcome" ->
                response.entity(OperationOutcomes.information(verb + resource.fhirType() + "/"
                                + resource.getIdElement().getIdPart()))
                        .build();
            default -> response.entity(resource).build();
        };
    }

    private static Response.ResponseBuilder withVersionHeaders(Response.ResponseBuilder response, Resource resource) {
        if (resource.getMeta().hasVersionId()) {
            response.tag(new EntityTag(resource.getMeta().getVersionId(), true));
        }
        if (resource.getMeta().hasLastUpdated()) {
            response.lastModified(resource.getMeta().getLastUpdated());
        }
        return response;
    }

    /** The {@code return} preference of a Prefer header: {@code minimal}, {@code representation} or {@code OperationOutcome}. */
    static String preferredReturn(String prefer) {
        if (prefer != null) {
            for (String part : prefer.split("[;,]")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].trim().equals("return")) {
                    return kv[1].trim().replace("\"", "");
                }
            }
        }
        return "representation";
    }
}
