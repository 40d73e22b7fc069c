package health.tessera.fhir;

import java.util.Date;
import java.util.Map;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * The parts every service's {@code GET /fhir/metadata} shares; the gateway merges the services' statements
 * into the platform's one.
 */
public final class CapabilityStatements {

    private CapabilityStatements() {}

    /** A server statement for one service, with its single {@code rest} component. */
    public static CapabilityStatement service(String name, String title) {
        CapabilityStatement statement = new CapabilityStatement()
                .setStatus(PublicationStatus.ACTIVE)
                .setDate(new Date())
                .setPublisher("Tessera")
                .setKind(CapabilityStatementKind.INSTANCE)
                .setFhirVersion(FHIRVersion._4_0_1)
                .setName(name)
                .setTitle(title);
        statement.getSoftware().setName(title);
        statement.addFormat("application/fhir+json").addFormat("application/fhir+xml");
        statement
                .addRest()
                .setMode(RestfulCapabilityMode.SERVER)
                .getSecurity()
                .setCors(false)
                .setDescription("OAuth2 bearer tokens from the platform's Keycloak (SMART on FHIR v2 scopes); records"
                        + " belong to the caller's organisation (the token's org claim) and are invisible (404) to"
                        + " others; a patient's own token (patient/ scopes) sees that patient's records only.");
        return statement;
    }

    /**
     * Adds {@code type} with these interactions and search parameters (name to type) to the statement's rest
     * component.
     */
    public static CapabilityStatementRestResourceComponent resource(
            CapabilityStatement statement,
            String type,
            Map<String, SearchParamType> searchParameters,
            TypeRestfulInteraction... interactions) {
        CapabilityStatementRestComponent rest = statement.getRestFirstRep();
        CapabilityStatementRestResourceComponent resource = rest.addResource().setType(type);
        for (TypeRestfulInteraction interaction : interactions) {
            resource.addInteraction().setCode(interaction);
        }
        new java.util.TreeMap<>(searchParameters)
                .forEach((name, kind) -> resource.addSearchParam().setName(name).setType(kind));
        return resource;
    }
}
