package health.tessera.gateway.api;

import health.tessera.fhir.ResourceOwnership;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The master patient index's administration API ({@code /mpi/...}: links, review queue) is patient-service's;
 * the gateway checks the token and passes it on (patient-service checks the admin role).
 */
@Path("/mpi")
@Authenticated
public class IdentityAdminGatewayResource {

    private final FhirGatewayResource gateway;

    public IdentityAdminGatewayResource(FhirGatewayResource gateway) {
        this.gateway = gateway;
    }

    @GET
    @Path("{rest: .*}")
    public Uni<Response> get(UriInfo uri, HttpHeaders headers) {
        return gateway.forwardTo(ResourceOwnership.PATIENT, HttpMethod.GET, uri, headers, null);
    }

    @POST
    @Path("{rest: .*}")
    @io.smallrye.common.annotation.Blocking
    public Uni<Response> post(UriInfo uri, HttpHeaders headers, java.io.InputStream body) {
        return gateway.forwardTo(ResourceOwnership.PATIENT, HttpMethod.POST, uri, headers, gateway.bounded(body));
    }

    @PUT
    @Path("{rest: .*}")
    @io.smallrye.common.annotation.Blocking
    public Uni<Response> put(UriInfo uri, HttpHeaders headers, java.io.InputStream body) {
        return gateway.forwardTo(ResourceOwnership.PATIENT, HttpMethod.PUT, uri, headers, gateway.bounded(body));
    }

    @DELETE
    @Path("{rest: .*}")
    public Uni<Response> delete(UriInfo uri, HttpHeaders headers) {
        return gateway.forwardTo(ResourceOwnership.PATIENT, HttpMethod.DELETE, uri, headers, null);
    }
}
