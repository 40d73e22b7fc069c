package health.tessera.gateway.api;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.fhir.CapabilityStatements;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * The platform's one CapabilityStatement ({@code GET /fhir/metadata}): each service's own statement, fetched and
 * merged (a type served by two services, like Patient, gets the interactions, searches and operations of both),
 * with the SMART security the gateway enforces. Rebuilt at most once a minute; a service that does not answer
 * is left out until it does.
 */
@ApplicationScoped
public class PlatformCapabilities {

    private static final Duration FRESH_FOR = Duration.ofMinutes(1);

    private final ServiceDocuments documents;
    private final FhirContext fhir;
    private final SmartConfigurationResource smart;
    private volatile Built built;

    private record Built(CapabilityStatement statement, Instant at, boolean complete) {}

    public PlatformCapabilities(ServiceDocuments documents, FhirContext fhir, SmartConfigurationResource smart) {
        this.documents = documents;
        this.fhir = fhir;
        this.smart = smart;
    }

    public Uni<CapabilityStatement> statement() {
        Built current = built;
        if (current != null
                && current.complete()
                && current.at().plus(FRESH_FOR).isAfter(Instant.now())) {
            return Uni.createFrom().item(current.statement());
        }
        return documents
                .fromEveryService("/fhir/metadata", "application/fhir+json")
                .map(bodies -> {
                    List<CapabilityStatement> statements = bodies.stream()
                            .map(body -> body == null
                                    ? null
                                    : fhir.newJsonParser().parseResource(CapabilityStatement.class, body))
                            .toList();
                    CapabilityStatement merged = merge(statements);
                    built = new Built(merged, Instant.now(), bodies.stream().allMatch(b -> b != null));
                    return merged;
                });
    }

    private CapabilityStatement merge(List<CapabilityStatement> statements) {
        CapabilityStatement platform =
                CapabilityStatements.service("Tessera", "Tessera health information exchange (FHIR R4)");
        CapabilityStatementRestComponent rest = platform.getRestFirstRep();
        rest.getSecurity()
                .addService()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service")
                .setCode("SMART-on-FHIR");
        Map<String, Object> discovery = smart.configuration();
        Extension oauth = rest.getSecurity()
                .addExtension()
                .setUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        oauth.addExtension("token", new UriType(discovery.get("token_endpoint").toString()));
        oauth.addExtension(
                "authorize", new UriType(discovery.get("authorization_endpoint").toString()));
        List<String> documentation = new ArrayList<>();
        Map<String, CapabilityStatementRestResourceComponent> byType = new LinkedHashMap<>();
        for (CapabilityStatement statement : statements) {
            if (statement == null) {
                continue;
            }
            CapabilityStatementRestComponent service = statement.getRestFirstRep();
            if (service.hasDocumentation()) {
                documentation.add(service.getDocumentation());
            }
            service.getInteraction().forEach(interaction -> {
                if (rest.getInteraction().stream().noneMatch(i -> i.getCode() == interaction.getCode())) {
                    rest.addInteraction(interaction);
                }
            });
            service.getOperation().forEach(rest::addOperation);
            for (CapabilityStatementRestResourceComponent resource : service.getResource()) {
                CapabilityStatementRestResourceComponent known = byType.get(resource.getType());
                if (known == null) {
                    byType.put(resource.getType(), resource);
                } else {
                    byType.put(resource.getType(), combine(known, resource));
                }
            }
        }
        if (!documentation.isEmpty()) {
            rest.setDocumentation(String.join("\n\n", documentation));
        }
        byType.keySet().stream().sorted().forEach(type -> rest.addResource(byType.get(type)));
        return platform;
    }

    /** One type described by two services: the owner's (the one with interactions) plus the other's additions. */
    private static CapabilityStatementRestResourceComponent combine(
            CapabilityStatementRestResourceComponent a, CapabilityStatementRestResourceComponent b) {
        CapabilityStatementRestResourceComponent owner = a.hasInteraction() ? a : b;
        CapabilityStatementRestResourceComponent other = owner == a ? b : a;
        other.getOperation().forEach(operation -> {
            if (owner.getOperation().stream().noneMatch(o -> o.getName().equals(operation.getName()))) {
                owner.addOperation(operation);
            }
        });
        other.getSearchParam().forEach(parameter -> {
            if (owner.getSearchParam().stream().noneMatch(p -> p.getName().equals(parameter.getName()))) {
                owner.addSearchParam(parameter);
            }
        });
        if (other.hasDocumentation()) {
            owner.setDocumentation(
                    owner.hasDocumentation()
                            ? owner.getDocumentation() + " " + other.getDocumentation()
                            : other.getDocumentation());
        }
        return owner;
    }
}
