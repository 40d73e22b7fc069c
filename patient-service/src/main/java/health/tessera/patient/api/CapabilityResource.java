package health.tessera.patient.api;

import health.tessera.fhir.CapabilityStatements;
import health.tessera.fhir.FhirMediaType;
import health.tessera.patient.domain.PatientSearch;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/** {@code GET /fhir/metadata}: the Patient interactions, searches (PDQm) and operations patient-service serves. */
@Path("/fhir/metadata")
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class CapabilityResource {

    private final CapabilityStatement statement = build();

    @GET
    public CapabilityStatement metadata() {
        return statement;
    }

    private static CapabilityStatement build() {
        CapabilityStatement statement =
                CapabilityStatements.service("TesseraPatient", "Tessera patient-service (master patient index)");
        Map<String, SearchParamType> parameters = new LinkedHashMap<>();
        for (String name : PatientSearch.PARAMETERS) {
            parameters.put(
                    name,
                    switch (name) {
                        case "birthdate" -> SearchParamType.DATE;
                        case "_id", "gender", "identifier", "phone", "email", "telecom" -> SearchParamType.TOKEN;
                        default -> SearchParamType.STRING;
                    });
        }
        CapabilityStatementRestResourceComponent patient = CapabilityStatements.resource(
                        statement,
                        "Patient",
                        parameters,
                        TypeRestfulInteraction.READ,
                        TypeRestfulInteraction.VREAD,
                        TypeRestfulInteraction.UPDATE,
                        TypeRestfulInteraction.DELETE,
                        TypeRestfulInteraction.HISTORYINSTANCE,
                        TypeRestfulInteraction.CREATE,
                        TypeRestfulInteraction.SEARCHTYPE)
                .setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE)
                .setReadHistory(true)
                .setConditionalCreate(true)
                .setDocumentation("Source records per organisation, each linked to an enterprise identity whose"
                        + " golden record is read at Patient/{enterpriseId}. An identifier another person holds in"
                        + " the same system is a 409. A delete keeps the history (reads answer 410) and takes the"
                        + " record out of its identity, searches, PIXm and $match.");
        patient.addOperation().setName("match").setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-match");
        patient.addOperation().setName("merge").setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-merge");
        patient.addOperation().setName("unmerge");
        patient.addOperation()
                .setName("ihe-pix")
                .setDefinition("https://profiles.ihe.net/ITI/PIXm/OperationDefinition/IHE.PIXm.pix");
        return statement;
    }
}
