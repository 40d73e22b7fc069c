package health.tessera.alerts.api;

import health.tessera.fhir.CapabilityStatements;
import health.tessera.fhir.FhirMediaType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/** {@code GET /fhir/metadata}: the warnings (Flag) alerts-service raises and serves. */
@Path("/fhir/metadata")
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class CapabilityResource {

    private final CapabilityStatement statement = build();

    @GET
    public CapabilityStatement metadata() {
        return statement;
    }

    private static CapabilityStatement build() {
        CapabilityStatement statement = CapabilityStatements.service("TesseraAlerts", "Tessera alerts-service");
        CapabilityStatements.resource(
                statement,
                "Flag",
                Map.of("patient", SearchParamType.REFERENCE, "subject", SearchParamType.REFERENCE),
                TypeRestfulInteraction.READ,
                TypeRestfulInteraction.SEARCHTYPE);
        return statement;
    }
}
