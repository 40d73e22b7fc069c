package health.tessera.records.service;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import health.tessera.fhir.OperationOutcomes;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.common.hapi.validation.support.CachingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Validates records against the base R4 profiles with HAPI's instance validator (cardinality, datatypes,
 * required bindings to code systems it knows). On by default for every write; a bulk load may switch it
 * off per request ({@code X-Tessera-Validation: skip}) or for the service
 * ({@code tessera.records.validation.enabled=false}). Built on first use: it loads the R4 definitions.
 */
@Singleton
public class RecordValidator {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RecordValidator.class);

    /** The request header that switches validation off for one write (bulk loads of trusted data). */
    public static final String SKIP_HEADER = "X-Tessera-Validation";

    private final FhirContext fhir;
    private final boolean enabled;
    private volatile FhirValidator validator;

    public RecordValidator(
            FhirContext fhir,
            @ConfigProperty(name = "tessera.records.validation.enabled", defaultValue = "true") boolean enabled) {
        this.fhir = fhir;
        this.enabled = enabled;
    }

    /** Validates unless switched off; errors are a 422 whose OperationOutcome names each element. */
    public void check(Resource resource, String skipHeader) {
        if (!enabled || "skip".equalsIgnoreCase(skipHeader)) {
            return;
        }
        ValidationResult result;
        try {
            result = validator().validateWithResult(resource);
        } catch (RuntimeException e) {
            // HAPI's validator fails outright on some malformed values (for the reference "Patient//x" it looks up
            // a StructureDefinition named ""): the fault is in the client's resource, so a 422, not a 500. The
            // detail goes to the log, under the request's correlation id.
            LOG.warnf(e, "the validator failed on a %s", resource.fhirType());
            throw health.tessera.fhir.FhirException.unprocessable(
                    "The " + resource.fhirType() + " could not be validated: the validator failed on one of its"
                            + " values (most likely a malformed reference or identifier)",
                    resource.fhirType());
        }
        List<SingleValidationMessage> errors = result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .filter(m -> !isUnknownProfile(m))
                .toList();
        if (!errors.isEmpty()) {
            throw new ValidationFailed(errors);
        }
    }

    /**
     * A {@code meta.profile} this server does not know (US Core on every Synthea record) is not an error: the
     * record is still checked against the base R4 definitions. HAPI 8.6 reports it as an error even with
     * {@code setErrorForUnknownProfiles(false)} (hapi-fhir#7338), so it is dropped here.
     */
    private static boolean isUnknownProfile(SingleValidationMessage message) {
        return message.getMessage() != null
                && message.getMessage().startsWith("Invalid profile. Failed to retrieve profile with url=");
    }

    private FhirValidator validator() {
        FhirValidator current = validator;
        if (current == null) {
            synchronized (this) {
                if (validator == null) {
                    ValidationSupportChain chain = new ValidationSupportChain(
                            new DefaultProfileValidationSupport(fhir),
                            new CommonCodeSystemsTerminologyService(fhir),
                            new InMemoryTerminologyServerValidationSupport(fhir),
                            new SnapshotGeneratingValidationSupport(fhir));
                    FhirInstanceValidator module = new FhirInstanceValidator(new CachingValidationSupport(chain));
                    module.setAnyExtensionsAllowed(true);
                    module.setErrorForUnknownProfiles(false);
                    FhirValidator built = fhir.newValidator();
                    built.setValidateAgainstStandardSchema(false);
                    built.setValidateAgainstStandardSchematron(false);
                    built.registerValidatorModule(module);
                    validator = built;
                }
                current = validator;
            }
        }
        return current;
    }

    /** A 422 with one issue per validation error, each naming its element (FHIRPath location). */
    public static final class ValidationFailed extends health.tessera.fhir.FhirException {
        private final transient OperationOutcome outcome;

        ValidationFailed(List<SingleValidationMessage> errors) {
            super(
                    422,
                    IssueType.PROCESSING,
                    errors.get(0).getMessage(),
                    errors.get(0).getLocationString());
            OperationOutcome built = OperationOutcomes.error(
                    IssueType.PROCESSING,
                    errors.get(0).getMessage(),
                    errors.get(0).getLocationString());
            for (SingleValidationMessage error : errors.subList(1, errors.size())) {
                built.addIssue()
                        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                        .setCode(IssueType.PROCESSING)
                        .setDiagnostics(error.getMessage())
                        .addExpression(error.getLocationString());
            }
            this.outcome = built;
        }

        @Override
        public OperationOutcome outcome() {
            return outcome;
        }
    }
}
