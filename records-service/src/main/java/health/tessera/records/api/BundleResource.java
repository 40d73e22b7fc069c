package health.tessera.records.api;

import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirMediaType;
import health.tessera.records.service.BundleProcessor;
import health.tessera.records.service.RecordValidator;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * Batch and transaction Bundles at the FHIR base URL. The body is taken as a stream (not parsed into one
 * object tree): {@link BundleProcessor} spools and indexes it, so Bundles of tens of thousands of entries fit.
 */
@Path("/fhir")
@Authenticated
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
@Consumes({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class BundleResource {

    private final BundleProcessor processor;
    private final Caller caller;

    public BundleResource(BundleProcessor processor, Caller caller) {
        this.processor = processor;
        this.caller = caller;
    }

    @POST
    public Response process(
            InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) MediaType contentType,
            @HeaderParam(RecordValidator.SKIP_HEADER) String validation,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        boolean xml = contentType != null && FhirMediaType.isXml(contentType);
        return Response.ok(
                        processor.process(body, xml, caller.organization(), caller.scopes(), validation, authorization))
                .build();
    }
}
