package health.tessera.records.service;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** patient-service's Patient registration, called with the caller's own token (it checks it again). */
@RegisterRestClient(configKey = "patient-service")
@Path("/fhir/Patient")
public interface PatientServiceClient {

    @POST
    @Consumes("application/fhir+json")
    @Produces("application/fhir+json")
    Response register(
            @HeaderParam("Authorization") String authorization,
            @HeaderParam("If-None-Exist") String ifNoneExist,
            @HeaderParam("X-Correlation-Id") String correlationId,
            String patient);
}
