package health.tessera.records.api;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.fhir.FhirMediaType;
import health.tessera.records.service.BundleResponse;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/** Writes a batch or transaction response: JSON as {@link BundleResponse} writes it, XML through HAPI's model. */
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

    public BundleResponseWriter(FhirContext fhir) {
        this.fhir = fhir;
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
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            fhir.newXmlParser().encodeResourceToWriter(response.toBundle(), writer);
            writer.flush();
        } else {
            response.writeJson(out, fhir);
        }
    }
}
