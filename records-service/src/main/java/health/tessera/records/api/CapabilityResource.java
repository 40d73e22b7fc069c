package health.tessera.records.api;

import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.ResourceOwnership;
import health.tessera.records.domain.search.ParameterKind;
import health.tessera.records.domain.search.SearchParameter;
import health.tessera.records.domain.search.SearchParameterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * {@code GET /fhir/metadata}: what records-service does, built from what it really serves (its types, the
 * parameters its index holds, its operations) so it cannot drift from the code. Public, as the spec expects.
 */
@Path("/fhir/metadata")
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class CapabilityResource {

    /** How Bundles treat Patient entries: the one synchronous call between services (ARCHITECTURE.md §1). */
    static final String BUNDLE_PATIENTS = "Batch and transaction Bundles: Patient entries are registered with"
            + " patient-service first (one synchronous call, idempotent: conditional on the entry's ifNoneExist or"
            + " on the Patient's first identifier); the other entries then commit in one database transaction,"
            + " all or nothing. A failed transaction leaves the registered patients, which a retry finds again.";

    private final CapabilityStatement statement;

    public CapabilityResource(SearchParameterRegistry registry) {
        this.statement = build(registry);
    }

    @GET
    public CapabilityStatement metadata() {
        return statement;
    }

    private static CapabilityStatement build(SearchParameterRegistry registry) {
        CapabilityStatement statement =
                health.tessera.fhir.CapabilityStatements.service("TesseraRecords", "Tessera records-service");
        CapabilityStatementRestComponent rest = statement.getRestFirstRep().setDocumentation(BUNDLE_PATIENTS);
        rest.addInteraction().setCode(SystemRestfulInteraction.TRANSACTION).setDocumentation(BUNDLE_PATIENTS);
        rest.addInteraction().setCode(SystemRestfulInteraction.BATCH).setDocumentation(BUNDLE_PATIENTS);
        rest.addOperation()
                .setName("export")
                .setDefinition("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export");
        for (String type : new TreeSet<>(ResourceOwnership.RECORDS.resourceTypes())) {
            CapabilityStatementRestResourceComponent resource = rest.addResource()
                    .setType(type)
                    .setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE)
                    .setReadHistory(true)
                    .setUpdateCreate(true)
                    .setConditionalCreate(true)
                    .setConditionalUpdate(true)
                    .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
            for (TypeRestfulInteraction interaction : new TypeRestfulInteraction[] {
                TypeRestfulInteraction.READ,
                TypeRestfulInteraction.VREAD,
                TypeRestfulInteraction.UPDATE,
                TypeRestfulInteraction.DELETE,
                TypeRestfulInteraction.HISTORYINSTANCE,
                TypeRestfulInteraction.HISTORYTYPE,
                TypeRestfulInteraction.CREATE,
                TypeRestfulInteraction.SEARCHTYPE
            }) {
                resource.addInteraction().setCode(interaction);
            }
            new TreeMap<>(registry.parametersOf(type))
                    .values()
                    .forEach(parameter ->
                            resource.addSearchParam().setName(parameter.name()).setType(typeOf(parameter)));
            new TreeMap<>(registry.compositesOf(type))
                    .values()
                    .forEach(composite -> resource.addSearchParam()
                            .setName(composite.name())
                            .setType(SearchParamType.COMPOSITE)
                            .setDocumentation(composite.components().get(0).name() + "$"
                                    + composite.components().get(1).name()
                                    + (composite.paired() ? ", both of the same element" : "")));
            resource.addSearchInclude("*");
            resource.addSearchRevInclude("*");
            if (type.equals("Observation")) {
                resource.addOperation()
                        .setName("lastn")
                        .setDefinition("http://hl7.org/fhir/OperationDefinition/Observation-lastn");
            }
            if (type.equals("Group")) {
                resource.addOperation()
                        .setName("export")
                        .setDefinition("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export");
            }
        }
        CapabilityStatementRestResourceComponent patient = rest.addResource()
                .setType("Patient")
                .setDocumentation("Patients are owned by patient-service; records-service serves the patient's whole"
                        + " record (Patient/{id}/$everything: paged, _since, _type, _count; merged identities"
                        + " followed), Patient-level $export, and Patient searches with _has (GET, combinable with"
                        + " the Patient parameters, paged by _offset).");
        patient.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
        patient.addSearchParam()
                .setName("_has")
                .setType(SearchParamType.SPECIAL)
                .setDocumentation("_has:Type:reference:parameter=value over the records that point at patients");
        patient.addOperation()
                .setName("everything")
                .setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-everything");
        return statement;
    }

    private static SearchParamType typeOf(SearchParameter parameter) {
        ParameterKind kind = parameter.kind();
        return switch (kind) {
            case TOKEN -> SearchParamType.TOKEN;
            case STRING -> SearchParamType.STRING;
            case DATE -> SearchParamType.DATE;
            case QUANTITY -> SearchParamType.QUANTITY;
            case REFERENCE -> SearchParamType.REFERENCE;
            case URI -> SearchParamType.URI;
            case NUMBER -> SearchParamType.NUMBER;
        };
    }
}
