package health.tessera.fhir;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A client-facing FHIR error: the HTTP status, the OperationOutcome issue code and a message safe to show the
 * caller (never an internal detail). Thrown anywhere below a FHIR endpoint; {@link FhirExceptionMappers} turns
 * it into the response.
 */
public class FhirException extends RuntimeException {

    private final int status;
    private final IssueType issueType;
    private final String expression;

    public FhirException(int status, IssueType issueType, String message) {
        this(status, issueType, message, null);
    }

    public FhirException(int status, IssueType issueType, String message, String expression) {
        super(message, null, false, false);
        this.status = status;
        this.issueType = issueType;
        this.expression = expression;
    }

    public static FhirException badRequest(String message) {
        return new FhirException(400, IssueType.INVALID, message);
    }

    /** 400 unless {@code body} is a {@code resourceType}: the type a resource endpoint was sent must be its own. */
    public static void requireBodyType(String resourceType, org.hl7.fhir.r4.model.Resource body) {
        if (body == null) {
            throw badRequest("The body must be a " + resourceType);
        }
        if (!body.fhirType().equals(resourceType)) {
            throw badRequest("The body is a " + body.fhirType() + " but was sent to " + resourceType);
        }
    }

    /** The answer for a record that does not exist and for one the caller may not see: the same, on purpose. */
    public static FhirException notFound(String resourceType, String id) {
        return new FhirException(404, IssueType.NOTFOUND, "Resource " + resourceType + "/" + id + " is not known");
    }

    /** 410: the record existed and was deleted (its history stays readable). */
    public static FhirException gone(String resourceType, String id, int version) {
        return new FhirException(
                410,
                org.hl7.fhir.r4.model.OperationOutcome.IssueType.DELETED,
                "Resource " + resourceType + "/" + id + " was deleted (version " + version + ")");
    }

    /** 413 for a body over its limit; {@code what} is "The body" or "The Bundle". */
    public static FhirException tooLarge(String what, long limit) {
        return new FhirException(
                413,
                org.hl7.fhir.r4.model.OperationOutcome.IssueType.TOOCOSTLY,
                what + " is larger than the limit of " + limit + " bytes");
    }

    /** 429: too many requests; the client may try again after {@code retryAfterSeconds} (Retry-After). */
    public static FhirException throttled(String message, int retryAfterSeconds) {
        return new Throttled(message, retryAfterSeconds);
    }

    /** The seconds a client should wait before trying again (a 429's Retry-After), or null. */
    public Integer retryAfterSeconds() {
        return null;
    }

    private static final class Throttled extends FhirException {
        private final int retryAfter;

        Throttled(String message, int retryAfter) {
            super(429, IssueType.THROTTLED, message);
            this.retryAfter = retryAfter;
        }

        @Override
        public Integer retryAfterSeconds() {
            return retryAfter;
        }
    }

    public static FhirException unprocessable(String message, String expression) {
        return new FhirException(422, IssueType.PROCESSING, message, expression);
    }

    /** The OperationOutcome to answer with: one issue by default; subclasses may carry several. */
    public org.hl7.fhir.r4.model.OperationOutcome outcome() {
        return OperationOutcomes.error(issueType, getMessage(), expression);
    }

    public int status() {
        return status;
    }

    public IssueType issueType() {
        return issueType;
    }

    public String expression() {
        return expression;
    }
}
