package health.tessera.fhir;

import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** FHIR's media types and how a request's {@code Accept} or {@code _format} picks one. */
public final class FhirMediaType {

    public static final String JSON = "application/fhir+json";
    public static final String XML = "application/fhir+xml";
    public static final MediaType JSON_TYPE = MediaType.valueOf(JSON);
    public static final MediaType XML_TYPE = MediaType.valueOf(XML);

    private FhirMediaType() {}

    /** True when {@code type} asks for XML: {@code application/fhir+xml}, {@code application/xml}, {@code text/xml}. */
    public static boolean isXml(MediaType type) {
        return type != null
                && type.getSubtype() != null
                && (type.getSubtype().equals("xml") || type.getSubtype().endsWith("+xml"));
    }

    /** The media type a {@code _format} value names (json, xml, or a full media type), or null when unknown. */
    public static MediaType fromFormatParameter(String format) {
        if (format == null || format.isBlank()) {
            return null;
        }
        return switch (format.trim().toLowerCase()) {
            case "json", "application/json", "application/fhir+json" -> JSON_TYPE;
            case "xml", "text/xml", "application/xml", "application/fhir+xml" -> XML_TYPE;
            default -> null;
        };
    }

    /** The response type for a list of acceptable types: XML only when XML is preferred, JSON otherwise. */
    public static MediaType negotiate(List<MediaType> acceptable) {
        for (MediaType type : acceptable) {
            if (isXml(type)) {
                return XML_TYPE;
            }
            if (type.isWildcardType()
                    || type.getSubtype().equals("json")
                    || type.getSubtype().endsWith("+json")) {
                return JSON_TYPE;
            }
        }
        return JSON_TYPE;
    }
}
