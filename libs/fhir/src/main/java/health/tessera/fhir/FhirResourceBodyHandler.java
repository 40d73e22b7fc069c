package health.tessera.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Reads and writes FHIR resources as JSON or XML with HAPI's parsers. Parsing is strict: an unknown element
 * or an invalid primitive is a 400, not silently dropped data.
 */
@Provider
@Consumes({
    FhirMediaType.JSON,
    FhirMediaType.XML,
    MediaType.APPLICATION_JSON,
    MediaType.APPLICATION_XML,
    MediaType.TEXT_XML
})
@Produces({
    FhirMediaType.JSON,
    FhirMediaType.XML,
    MediaType.APPLICATION_JSON,
    MediaType.APPLICATION_XML,
    MediaType.TEXT_XML
})
public class FhirResourceBodyHandler implements MessageBodyReader<IBaseResource>, MessageBodyWriter<IBaseResource> {

    private final FhirContext fhir;
    private final long maxBodySize;

    public FhirResourceBodyHandler(
            FhirContext fhir,
            @org.eclipse.microprofile.config.inject.ConfigProperty(
                            name = "tessera.limits.max-body-size",
                            defaultValue = "16M")
                    io.quarkus.runtime.configuration.MemorySize maxBodySize) {
        this.fhir = fhir;
        this.maxBodySize = maxBodySize.asLongValue();
    }

    private IParser parser(MediaType mediaType) {
        IParser parser = FhirMediaType.isXml(mediaType) ? fhir.newXmlParser() : fhir.newJsonParser();
        return parser.setParserErrorHandler(new StrictErrorHandler());
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return IBaseResource.class.isAssignableFrom(type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public IBaseResource readFrom(
            Class<IBaseResource> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, String> headers,
            InputStream body) {
        IParser parser = parser(mediaType);
        // Counted while read: a chunked body has no Content-Length for FhirRequestFilters to check first.
        InputStreamReader reader =
                new InputStreamReader(new LimitedInputStream(body, maxBodySize), StandardCharsets.UTF_8);
        try {
            if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
                return parser.parseResource(reader);
            }
            return parser.parseResource(type, reader);
        } catch (RuntimeException e) {
            if (LimitedInputStream.causedBy(e)) {
                throw FhirException.tooLarge("The body", maxBodySize);
            }
            throw e;
        }
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return IBaseResource.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(
            IBaseResource resource,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> headers,
            OutputStream out)
            throws java.io.IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        parser(mediaType).encodeResourceToWriter(resource, writer);
        writer.flush();
    }
}
