package health.tessera.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure under a FHIR endpoint into an OperationOutcome with the right status
 * (ARCHITECTURE.md §4). Client mistakes never become a 500, and no response carries a stack trace or a
 * class name: unexpected failures are logged with the correlation id, which the response names instead.
 */
public class FhirExceptionMappers {

    private static final Logger LOG = Logger.getLogger(FhirExceptionMappers.class);

    @ServerExceptionMapper
    public Response fhirException(FhirException e, HttpHeaders headers) {
        Response response = outcome(e.status(), e.outcome(), headers);
        if (e.retryAfterSeconds() != null) {
            return Response.fromResponse(response)
                    .header("Retry-After", e.retryAfterSeconds())
                    .build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response unparsable(DataFormatException e, HttpHeaders headers) {
        return outcome(
                400,
                OperationOutcomes.error(IssueType.STRUCTURE, "The body is not valid FHIR: " + clientMessage(e)),
                headers);
    }

    @ServerExceptionMapper
    public Response processing(ProcessingException e, HttpHeaders headers) {
        if (e.getCause() instanceof DataFormatException parse) {
            return unparsable(parse, headers);
        }
        return unexpected(e, headers);
    }

    @ServerExceptionMapper({
        UnauthorizedException.class,
        AuthenticationFailedException.class,
        AuthenticationCompletionException.class
    })
    public Response unauthorized(RuntimeException e, HttpHeaders headers) {
        return Response.fromResponse(outcome(
                        401, OperationOutcomes.error(IssueType.LOGIN, "A valid bearer token is required"), headers))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tessera\"")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers) {
        return outcome(
                403,
                OperationOutcomes.error(IssueType.FORBIDDEN, "The token does not allow this interaction"),
                headers);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, headers);
        }
        IssueType type = switch (status) {
            case 401 -> IssueType.LOGIN;
            case 403 -> IssueType.FORBIDDEN;
            case 404 -> IssueType.NOTFOUND;
            case 405, 406, 415 -> IssueType.NOTSUPPORTED;
            case 409, 412 -> IssueType.CONFLICT;
            case 413 -> IssueType.TOOCOSTLY;
            case 429 -> IssueType.THROTTLED;
            default -> IssueType.INVALID;
        };
        String message = switch (status) {
            case 404 -> "No such resource or operation";
            case 405 -> "This interaction is not supported here";
            case 406 ->
                "Cannot answer in any of the accepted formats; use application/fhir+json or application/fhir+xml";
            case 415 -> "Unsupported content type; send application/fhir+json or application/fhir+xml";
            default ->
                Response.Status.fromStatusCode(status) == null
                        ? "Request rejected"
                        : Response.Status.fromStatusCode(status).getReasonPhrase();
        };
        return outcome(status, OperationOutcomes.error(type, message), headers);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, HttpHeaders headers) {
        Object correlationId = MDC.get(FhirRequestFilters.CORRELATION_MDC_KEY);
        LOG.errorf(e, "unexpected failure (correlation id %s)", correlationId);
        return outcome(
                500,
                OperationOutcomes.error(
                        IssueType.EXCEPTION,
                        "An internal error occurred; quote correlation id " + correlationId + " when reporting it"),
                headers);
    }

    /** HAPI's parse messages without the code prefix; they describe the body, never the server. */
    private static String clientMessage(DataFormatException e) {
        String message = e.getMessage() == null ? "unreadable content" : e.getMessage();
        return message.replaceAll("HAPI-\\d+: ", "");
    }

    static Response outcome(int status, OperationOutcome outcome, HttpHeaders headers) {
        return Response.status(status)
                .type(
                        headers == null
                                ? FhirMediaType.JSON_TYPE
                                : FhirMediaType.negotiate(headers.getAcceptableMediaTypes()))
                .entity(outcome)
                .build();
    }
}
