package health.tessera.exchange.api;

import health.tessera.exchange.sharing.PrivacyConsent;
import health.tessera.exchange.sharing.SharedResourceStore;
import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirMediaType;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.hl7.fhir.r4.model.Consent;

/**
 * Privacy consents: an organisation records that a patient lets it share their records with other organisations
 * ({@code provision.actor}), and from then on those organisations read them through records-service. Revoking
 * (status inactive) or deleting the consent ends the sharing.
 */
@Path("/fhir/Consent")
@Authenticated
@Consumes({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class ConsentResource extends SharedResourceEndpoints<Consent> {

    public ConsentResource(SharedResourceStore store, PrivacyConsent rule, Caller caller) {
        super(store, rule, caller);
    }
}
