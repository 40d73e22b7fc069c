package health.tessera.exchange.api;

import health.tessera.exchange.sharing.Referral;
import health.tessera.exchange.sharing.SharedResourceStore;
import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirMediaType;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.hl7.fhir.r4.model.Task;

/**
 * Referrals: the referring organisation creates a Task whose {@code owner} is the organisation it refers the
 * patient to; once the owner accepts it, and until the task is finished, the owner reads the referring
 * organisation's records of that patient through records-service.
 */
@Path("/fhir/Task")
@Authenticated
@Consumes({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class TaskResource extends SharedResourceEndpoints<Task> {

    public TaskResource(SharedResourceStore store, Referral rule, Caller caller) {
        super(store, rule, caller);
    }
}
