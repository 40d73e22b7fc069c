package health.tessera.patient.api;

import health.tessera.fhir.Caller;
import health.tessera.fhir.ETags;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.FhirResponses;
import health.tessera.fhir.ResourceIds;
import health.tessera.fhir.SearchBundles;
import health.tessera.patient.domain.IdentityRepository;
import health.tessera.patient.domain.PatientRepository;
import health.tessera.patient.domain.PatientSearch;
import health.tessera.patient.domain.SourcePatient;
import health.tessera.patient.matching.Band;
import health.tessera.patient.matching.Explanation;
import health.tessera.patient.service.EnterpriseIdentities;
import health.tessera.patient.service.PatientMatching;
import health.tessera.patient.service.PatientRegistry;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * FHIR Patient endpoint of patient-service: source records per organisation (register, update, read, search),
 * golden records (read by enterprise id), and the master patient index's operations: {@code $match},
 * {@code $ihe-pix} (PIXm), {@code $merge} and {@code $unmerge}.
 */
@Path("/fhir/Patient")
@Authenticated
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
@Consumes({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class PatientResource {

    /** The extension the FHIR spec defines for how sure a $match result is. */
    static final String MATCH_GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade";
    /** Tessera's: why the engine scored a result as it did, field by field. */
    static final String MATCH_EXPLANATION = "https://tessera.health/fhir/StructureDefinition/match-explanation";

    private static final int DEFAULT_COUNT = 20;
    private static final int MAX_COUNT = 100;

    private final PatientRegistry registry;
    private final PatientMatching matching;
    private final EnterpriseIdentities identities;
    private final PatientRepository patients;
    private final IdentityRepository identityStore;
    private final Caller caller;

    public PatientResource(
            PatientRegistry registry,
            PatientMatching matching,
            EnterpriseIdentities identities,
            PatientRepository patients,
            IdentityRepository identityStore,
            Caller caller) {
        this.registry = registry;
        this.matching = matching;
        this.identities = identities;
        this.patients = patients;
        this.identityStore = identityStore;
        this.caller = caller;
    }

    /** Register; with {@code If-None-Exist: identifier=system|value}, only when no patient of the organisation has it. */
    @POST
    public Response create(
            Patient patient,
            @HeaderParam("Prefer") String prefer,
            @HeaderParam("If-None-Exist") String ifNoneExist,
            UriInfo uri) {
        if (ifNoneExist != null) {
            List<Patient> matches = registry.findByIdentifier(identifierCriterion(ifNoneExist), caller.organization());
            if (matches.size() > 1) {
                throw new FhirException(412, IssueType.DUPLICATE, "If-None-Exist matches more than one Patient");
            }
            if (matches.size() == 1) {
                return FhirResponses.ok(matches.get(0));
            }
        }
        requireSomethingToMatchOn(patient);
        requireWellFormedReferences(patient);
        return FhirResponses.created(registry.register(patient, caller.organization()), prefer, uri);
    }

    /** A new version of one of the organisation's records ({@code If-Match} checked when sent). */
    @PUT
    @Path("{id}")
    public Response update(
            @PathParam("id") String id,
            Patient patient,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Prefer") String prefer) {
        if (patient.hasIdElement() && !id.equals(patient.getIdElement().getIdPart())) {
            throw FhirException.badRequest("The Patient's id ("
                    + patient.getIdElement().getIdPart() + ") is not the id in the URL (" + id + ")");
        }
        requireSomethingToMatchOn(patient);
        requireWellFormedReferences(patient);
        return FhirResponses.updated(
                registry.update(id, patient, caller.organization(), ETags.expectedVersion(ifMatch)), prefer);
    }

    /**
     * A relative reference without a valid id ({@code Practitioner/}, {@code Organization/two words}) points
     * nowhere: 422 naming it and where it is, as records-service answers for its records.
     */
    static void requireWellFormedReferences(Patient patient) {
        java.util.Map<String, org.hl7.fhir.r4.model.Reference> references = new java.util.LinkedHashMap<>();
        for (int i = 0; i < patient.getGeneralPractitioner().size(); i++) {
            references.put(
                    "Patient.generalPractitioner[" + i + "]",
                    patient.getGeneralPractitioner().get(i));
        }
        if (patient.hasManagingOrganization()) {
            references.put("Patient.managingOrganization", patient.getManagingOrganization());
        }
        for (int i = 0; i < patient.getLink().size(); i++) {
            references.put(
                    "Patient.link[" + i + "].other", patient.getLink().get(i).getOther());
        }
        for (int i = 0; i < patient.getContact().size(); i++) {
            if (patient.getContact().get(i).hasOrganization()) {
                references.put(
                        "Patient.contact[" + i + "].organization",
                        patient.getContact().get(i).getOrganization());
            }
        }
        references.forEach((path, reference) -> {
            if (reference != null && ResourceIds.isMalformedRelativeReference(reference.getReference())) {
                throw FhirException.unprocessable(
                        "The reference " + reference.getReference() + " at " + path + " has no valid id", path);
            }
        });
    }

    /** A Patient with neither a name nor an identifier cannot be told from anyone: 422. */
    private static void requireSomethingToMatchOn(Patient patient) {
        boolean named = patient.getName().stream().anyMatch(n -> n.hasFamily() || n.hasGiven() || n.hasText());
        boolean identified = patient.getIdentifier().stream().anyMatch(Identifier::hasValue);
        if (!named && !identified) {
            throw FhirException.unprocessable("A Patient needs a name or an identifier", "Patient.name");
        }
    }

    /**
     * Search the organisation's source records ({@link PatientSearch}: name, family, given, birthdate, gender,
     * identifier, phone, email, telecom, address-*; also PDQm's query), paged with {@code _count}; the total is always
     * counted exactly, whatever {@code _total} asks.
     */
    @GET
    public Response search(
            @QueryParam("_count") String countParameter, @QueryParam("_offset") String offsetParameter, UriInfo uri) {
        List<String> known = new ArrayList<>(List.of("_count", "_offset", "_total", "_format"));
        for (String name : uri.getQueryParameters().keySet()) {
            String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            if (PatientSearch.PARAMETERS.contains(base)) {
                known.add(name);
            }
        }
        SearchBundles.rejectUnknownParameters(uri, known.toArray(String[]::new));
        SearchBundles.checkTotal(uri.getQueryParameters().getFirst("_total"));
        int count = SearchBundles.count(countParameter, DEFAULT_COUNT, MAX_COUNT);
        int offset = SearchBundles.wholeNumber("_offset", offsetParameter, 0, Integer.MAX_VALUE);
        PatientRepository.Page page =
                patients.search(caller.organization(), PatientSearch.of(uri.getQueryParameters()), count, offset);
        List<Resource> found = page.patients().stream()
                .map(p -> (Resource) registry.parse(p.json()))
                .toList();
        Bundle bundle = SearchBundles.searchset(found, uri);
        bundle.setTotal(page.total());
        if (offset + found.size() < page.total() && count > 0) {
            bundle.addLink().setRelation("next").setUrl(SearchBundles.pageLink(uri, count, offset + count));
        }
        if (offset > 0 && count > 0) {
            bundle.addLink()
                    .setRelation("previous")
                    .setUrl(SearchBundles.pageLink(uri, count, Math.max(0, offset - count)));
        }
        return Response.ok(bundle).build();
    }

    /** The identifier value of an {@code identifier=...} criterion: the only one patient-service matches on. */
    private static String identifierCriterion(String criteria) {
        var query = criteria.contains("?") ? criteria.substring(criteria.indexOf('?') + 1) : criteria;
        if (!query.startsWith("identifier=") || query.contains("&")) {
            throw FhirException.badRequest("If-None-Exist for Patient supports identifier=system|value");
        }
        return java.net.URLDecoder.decode(
                query.substring("identifier=".length()), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A source record of the caller's organisation, or a golden record (its id is the enterprise id) of an identity
     * one of the organisation's records is linked to; operators read any. {@code GET Patient/$ihe-pix} is PIXm.
     */
    @GET
    @Path("{id}")
    public Response read(@PathParam("id") String id, UriInfo uri) {
        if (id.equals("$ihe-pix")) {
            return pix(uri);
        }
        if (id.startsWith("$")) {
            throw unsupported(id);
        }
        if (caller.patientContext().isPresent()) {
            return FhirResponses.ok(
                    registry.readAsPatient(id, caller.patientContext().get()));
        }
        return FhirResponses.ok(registry.read(id, caller.isAdmin() ? null : caller.organization(), caller.isAdmin()));
    }

    /**
     * Deletes one of the organisation's source records (see {@link PatientRegistry#delete}): 204, also when it was
     * deleted already; another organisation's record is 404.
     */
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        if (caller.patientContext().isPresent()) {
            throw new FhirException(403, IssueType.FORBIDDEN, "A patient's own token cannot delete Patient records");
        }
        registry.delete(id, caller.organization(), caller.actor());
        return Response.noContent().build();
    }

    /** vread: one version of a source record; the version that deleted it is 410. */
    @GET
    @Path("{id}/_history/{version}")
    public Response version(@PathParam("id") String id, @PathParam("version") String version) {
        PatientRepository.Version found = history(id).stream()
                .filter(v -> version.equals(Integer.toString(v.version())))
                .findFirst()
                .orElseThrow(() ->
                        new FhirException(404, IssueType.NOTFOUND, "Patient/" + id + " has no version " + version));
        if (found.deletion()) {
            throw FhirException.gone("Patient", id, found.version());
        }
        return FhirResponses.ok(registry.parse(found.json()));
    }

    /** The history of a source record: every version, newest first; a deletion is an entry without a resource. */
    @GET
    @Path("{id}/_history")
    public Response history(@PathParam("id") String id, UriInfo uri) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY);
        bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
        for (PatientRepository.Version version : history(id)) {
            Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(uri.getBaseUri() + "fhir/Patient/" + id);
            if (version.deletion()) {
                entry.getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("Patient/" + id);
                entry.getResponse()
                        .setStatus("204 No Content")
                        .setEtag("W/\"" + version.version() + "\"")
                        .setLastModified(java.util.Date.from(version.lastUpdated()));
                continue;
            }
            entry.setResource(registry.parse(version.json()))
                    .getRequest()
                    .setMethod(version.version() == 1 ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT)
                    .setUrl("Patient" + (version.version() == 1 ? "" : "/" + id));
        }
        bundle.setTotal(bundle.getEntry().size());
        return Response.ok(bundle).build();
    }

    private List<PatientRepository.Version> history(String id) {
        return registry.history(id, caller.isAdmin() ? null : caller.organization(), caller.isAdmin());
    }

    @POST
    @Path("{operation}")
    public Response operation(@PathParam("operation") String operation, Resource body, UriInfo uri) {
        return switch (operation) {
            case "$match" -> match(parameters(body, operation), uri);
            case "$merge" -> merge(parameters(body, operation));
            case "$unmerge" -> unmerge(parameters(body, operation));
            default -> throw unsupported(operation);
        };
    }

    private static FhirException unsupported(String operation) {
        return new FhirException(
                404, IssueType.NOTSUPPORTED, "Operation " + operation + " is not supported on Patient here");
    }

    private static Parameters parameters(Resource body, String operation) {
        if (!(body instanceof Parameters parameters)) {
            throw FhirException.badRequest(operation + " takes a Parameters resource");
        }
        return parameters;
    }

    /**
     * {@code Patient/$match} (FHIR R4): the caller's patients that may be the person in the {@code resource}
     * parameter, best first, each with its probability as the search score, the spec's match-grade
     * (certain, probable, possible) and the engine's explanation. {@code onlyCertainMatches}: the one certain
     * match or nothing; {@code count}: at most that many (default 10, at most 100).
     */
    private Response match(Parameters parameters, UriInfo uri) {
        var resource = parameters.getParameter("resource");
        if (resource == null || !(resource.getResource() instanceof Patient probe)) {
            throw FhirException.badRequest("$match needs a Patient in the parameter 'resource'");
        }
        var certainParameter = parameters.getParameter("onlyCertainMatches");
        boolean onlyCertain = certainParameter != null
                && certainParameter.getValue() instanceof org.hl7.fhir.r4.model.BooleanType flag
                && flag.booleanValue();
        var countParameter = parameters.getParameter("count");
        int count = 10;
        if (countParameter != null) {
            if (!(countParameter.getValue() instanceof org.hl7.fhir.r4.model.IntegerType number)
                    || number.getValue() == null
                    || number.getValue() < 1
                    || number.getValue() > 100) {
                throw FhirException.badRequest("count must be a whole number from 1 to 100");
            }
            count = number.getValue();
        }
        List<PatientMatching.Candidate> candidates = matching.candidates(probe, caller.organization());
        if (onlyCertain) {
            candidates = candidates.stream()
                    .filter(c -> c.explanation().band() == Band.MATCH)
                    .toList();
            if (candidates.size() > 1) {
                candidates = List.of(); // the spec: several certain matches are not certain
            }
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
        for (PatientMatching.Candidate candidate : candidates.subList(0, Math.min(count, candidates.size()))) {
            Patient found = registry.read(candidate.patientId(), caller.organization());
            var entry = bundle.addEntry()
                    .setFullUrl(uri.getBaseUri() + "fhir/Patient/" + candidate.patientId())
                    .setResource(found);
            entry.getSearch()
                    .setMode(Bundle.SearchEntryMode.MATCH)
                    .setScore(candidate.explanation().probability());
            entry.getSearch().addExtension(MATCH_GRADE, new CodeType(grade(candidate.explanation())));
            entry.getSearch()
                    .addExtension(
                            MATCH_EXPLANATION,
                            new StringType(candidate.explanation().toText()));
        }
        bundle.setTotal(bundle.getEntry().size());
        return Response.ok(bundle).build();
    }

    /** The spec's grades: a link the engine would make is certain; review cases probable or possible. */
    static String grade(Explanation explanation) {
        if (explanation.band() == Band.MATCH) {
            return "certain";
        }
        return explanation.probability() >= 0.5 ? "probable" : "possible";
    }

    /**
     * {@code Patient/$merge} (the R5 operation's parameters): every source record of {@code source-patient}'s
     * enterprise identity joins {@code target-patient}'s. Operators only. Returns the merge's id (for
     * {@code $unmerge}) and the resulting golden record.
     */
    private Response merge(Parameters parameters) {
        caller.requireAdmin();
        if (parameters.getParameter("preview") != null) {
            throw FhirException.badRequest("$merge preview is not supported");
        }
        UUID source = patientReference(parameters, "source-patient");
        UUID target = patientReference(parameters, "target-patient");
        IdentityRepository.Merge merge =
                identities.decide(() -> identities.merge(sourceRecord(source), sourceRecord(target), caller.actor()));
        return Response.ok(mergeResult(merge, merge.targetEnterprise())).build();
    }

    /**
     * {@code Patient/$unmerge}: undoes a merge, named by {@code merge} (its id) or by {@code source-patient} (the
     * latest merge that moved it). Operators only.
     */
    private Response unmerge(Parameters parameters) {
        caller.requireAdmin();
        UUID mergeId;
        if (parameters.getParameter("merge") != null) {
            mergeId = ResourceIds.asUuid(
                            parameters.getParameter("merge").getValue().primitiveValue())
                    .orElseThrow(() -> FhirException.badRequest("merge must be the id $merge returned"));
        } else {
            UUID source = sourceRecord(patientReference(parameters, "source-patient"));
            mergeId = identities
                    .lastMergeOf(source)
                    .orElseThrow(() -> new FhirException(404, IssueType.NOTFOUND, "No merge moved Patient/" + source))
                    .id();
        }
        IdentityRepository.Merge merge = identities.decide(() -> identities.unmerge(mergeId, caller.actor()));
        return Response.ok(mergeResult(merge, merge.sourceEnterprise())).build();
    }

    private Parameters mergeResult(IdentityRepository.Merge merge, UUID resultEnterprise) {
        Parameters result = new Parameters();
        result.addParameter("merge", new StringType(merge.id().toString()));
        result.addParameter().setName("result").setResource(registry.read(resultEnterprise.toString(), null, true));
        for (UUID moved : merge.moved()) {
            result.addParameter("moved", new Reference("Patient/" + moved));
        }
        return result;
    }

    /** A source record's id from a golden or source id (merging golden records merges their identities). */
    private UUID sourceRecord(UUID id) {
        if (patients.find(id).isPresent()) {
            return id;
        }
        return patients.members(id).stream()
                .findFirst()
                .map(SourcePatient::id)
                .orElseThrow(() -> FhirException.notFound("Patient", id.toString()));
    }

    private static UUID patientReference(Parameters parameters, String name) {
        var parameter = parameters.getParameter(name);
        if (parameter == null || !(parameter.getValue() instanceof Reference reference) || !reference.hasReference()) {
            throw FhirException.badRequest("$merge needs " + name + " as a Reference to a Patient");
        }
        var id = reference.getReferenceElement();
        if (id.hasResourceType() && !"Patient".equals(id.getResourceType())) {
            throw FhirException.badRequest(name + " must reference a Patient");
        }
        return ResourceIds.asUuid(id.getIdPart()).orElseThrow(() -> FhirException.notFound("Patient", id.getIdPart()));
    }

    /**
     * PIXm ({@code GET Patient/$ihe-pix?sourceIdentifier=system|value[&targetSystem=…]}): the identifiers the same
     * person has in other domains, and the Patient resources the caller may read (its own records and the golden
     * record). The source identifier must belong to one of the caller's patients (operators: anyone's); else 404.
     */
    private Response pix(UriInfo uri) {
        SearchBundles.rejectUnknownParameters(uri, "sourceIdentifier", "targetSystem", "_format");
        String sourceIdentifier = uri.getQueryParameters().getFirst("sourceIdentifier");
        if (sourceIdentifier == null || !sourceIdentifier.contains("|")) {
            throw FhirException.badRequest("$ihe-pix needs sourceIdentifier=system|value");
        }
        int bar = sourceIdentifier.indexOf('|');
        String system = sourceIdentifier.substring(0, bar);
        String value = sourceIdentifier.substring(bar + 1);
        if (system.isEmpty() || value.isEmpty()) {
            throw FhirException.badRequest("$ihe-pix needs sourceIdentifier=system|value");
        }
        List<String> targetSystems =
                Optional.ofNullable(uri.getQueryParameters().get("targetSystem")).orElse(List.of()).stream()
                        .flatMap(s -> java.util.Arrays.stream(s.split(",")))
                        .toList();
        String organization = caller.isAdmin() ? null : caller.organization();
        // PIXm (ITI-83): an unknown source domain is a 404 "code-invalid", an unknown target domain a 403
        if (!patients.knowsIdentifierSystem(system)) {
            throw new FhirException(404, IssueType.CODEINVALID, "sourceIdentifier Assigning Authority not found");
        }
        for (String target : targetSystems) {
            if (!patients.knowsIdentifierSystem(target)) {
                throw new FhirException(403, IssueType.CODEINVALID, "targetSystem not found: " + target);
            }
        }
        List<SourcePatient> sources = patients.withIdentifier(organization, system, value);
        if (sources.isEmpty()) {
            throw new FhirException(404, IssueType.NOTFOUND, "No patient has the identifier " + sourceIdentifier);
        }
        Parameters result = new Parameters();
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Set<UUID> enterprises = new java.util.LinkedHashSet<>();
        sources.forEach(s -> enterprises.add(s.enterpriseId()));
        for (UUID enterprise : enterprises) {
            for (SourcePatient member : patients.members(enterprise)) {
                Patient patient = registry.parse(member.json());
                for (Identifier identifier : patient.getIdentifier()) {
                    String key = identifier.getSystem() + "|" + identifier.getValue();
                    boolean wanted = targetSystems.isEmpty() || targetSystems.contains(identifier.getSystem());
                    if (identifier.hasValue() && wanted && !key.equals(sourceIdentifier) && seen.add(key)) {
                        result.addParameter().setName("targetIdentifier").setValue(identifier.copy());
                    }
                }
                if (organization == null || member.organization().equals(organization)) {
                    result.addParameter("targetId", new Reference("Patient/" + member.id()));
                }
            }
            result.addParameter("targetId", new Reference("Patient/" + enterprise));
        }
        return Response.ok(result).build();
    }
}
