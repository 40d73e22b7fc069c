package health.tessera.records.api;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.FhirResourceBodyHandler;
import health.tessera.records.service.BundleResponse;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.hl7.fhir.r4.model.Bundle;

/** Writes a batch or transaction response: JSON as {@link BundleResponse} writes it, XML from HAPI's model of it. */
@Provider
@Produces({
    FhirMediaType.JSON,
    FhirMediaType.XML,
    MediaType.APPLICATION_JSON,
    MediaType.APPLICATION_XML,
    MediaType.TEXT_XML
})
public class BundleResponseWriter implements MessageBodyWriter<BundleResponse> {

    private final FhirContext fhir;
    /** Writes XML, as for any other resource. */
    private final FhirResourceBodyHandler resources;

    public BundleResponseWriter(FhirContext fhir, FhirResourceBodyHandler resources) {
        this.fhir = fhir;
        this.resources = resources;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return BundleResponse.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(
            BundleResponse response,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> headers,
            OutputStream out)
            throws IOException {
        if (FhirMediaType.isXml(mediaType)) {
            resources.writeTo(response.toBundle(), Bundle.class, Bundle.class, annotations, mediaType, headers, out);
        } else {
            response.writeJson(out, fhir);
        }
    }
}
