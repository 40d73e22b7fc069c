package health.tessera.fhir;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one FhirContext of the JVM: building one is expensive (it scans the whole R4 model). */
public class FhirContextProducer {

    @Produces
    @Singleton
    FhirContext fhirContext() {
        FhirContext fhir = FhirContext.forR4Cached();
        // No auto-containing: on every encode HAPI would walk all references looking for in-memory resources to
        // contain (a third of a Bundle's CPU in records-service); Tessera's references are ids or "#contained".
        fhir.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        return fhir;
    }
}
