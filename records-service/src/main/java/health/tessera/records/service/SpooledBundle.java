package health.tessera.records.service;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.LimitedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * A posted Bundle kept on disk and indexed in one streaming pass, so that a Bundle of a patient's whole life
 * (Synthea writes some of 50,000 entries and 90 MB) never sits in the heap as one object tree. The index holds,
 * per entry, its request and where its resource lies in the file; each resource is parsed (strictly, by HAPI)
 * only when it is processed.
 */
final class SpooledBundle implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> BUNDLE_FIELDS = Set.of(
            "resourceType",
            "id",
            "meta",
            "implicitRules",
            "language",
            "identifier",
            "type",
            "timestamp",
            "total",
            "link",
            "signature");
    private static final Set<String> ENTRY_FIELDS =
            Set.of("id", "extension", "modifierExtension", "link", "search", "response");
    private static final Set<String> REQUEST_FIELDS =
            Set.of("id", "extension", "modifierExtension", "ifNoneMatch", "ifModifiedSince");

    /** One entry: its position, full URL, request, and the byte range of its resource ({@code end == 0}: none). */
    record Entry(
            int index,
            String fullUrl,
            HTTPVerb method,
            String url,
            String ifNoneExist,
            String ifMatch,
            String resourceType,
            long start,
            long end) {

        boolean hasResource() {
            return end > start;
        }

        /** How the entry is named in error messages: its position and full URL. */
        String label() {
            return "entry " + index + (fullUrl == null ? "" : " (" + fullUrl + ")");
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FhirContext fhir;
    private final Bundle.BundleType type;
    private final List<Entry> entries;

    private SpooledBundle(Path file, FhirContext fhir, Bundle.BundleType type, List<Entry> entries) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.fhir = fhir;
        this.type = type;
        this.entries = entries;
    }

    /**
     * Copies the body to a temporary file (at most {@code maxBytes}: more is a 413, whatever Content-Length
     * said) and indexes it as it arrives. XML Bundles are parsed whole and re-encoded as JSON first.
     */
    static SpooledBundle spool(InputStream body, boolean xml, long maxBytes, int maxEntries, FhirContext fhir) {
        Path file = null;
        try {
            file = Files.createTempFile("tessera-bundle-", ".json");
            List<Entry> entries = new ArrayList<>();
            Bundle.BundleType type;
            if (xml) {
                try (OutputStream out = Files.newOutputStream(file)) {
                    Bundle bundle = parseXml(new LimitedInputStream(body, maxBytes), maxBytes, fhir);
                    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    fhir.newJsonParser().encodeResourceToWriter(bundle, writer);
                    writer.flush();
                }
                try (InputStream in = Files.newInputStream(file)) {
                    type = index(in, maxEntries, entries);
                }
            } else {
                // One pass: what the indexing parser reads is written to the file as it goes, so the offsets it
                // notes are the file's (reading the file again to index it took a fifth of the spooling time).
                try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                        InputStream in = new org.apache.commons.io.input.TeeInputStream(
                                new LimitedInputStream(body, maxBytes), out)) {
                    type = index(in, maxEntries, entries);
                    in.transferTo(java.io.OutputStream.nullOutputStream()); // what follows the Bundle's object
                }
            }
            return new SpooledBundle(file, fhir, type, entries);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            if (e instanceof FhirException fhirException) {
                throw fhirException;
            }
            if (e instanceof LimitedInputStream.TooLarge) {
                throw FhirException.tooLarge("The Bundle", maxBytes);
            }
            if (e instanceof JsonProcessingException json) {
                // a broken limit (nesting deeper than Jackson's 1,000 levels) comes without a location
                throw FhirException.badRequest("The Bundle is not valid JSON: " + json.getOriginalMessage()
                        + (json.getLocation() == null
                                ? ""
                                : " at " + json.getLocation().offsetDescription()));
            }
            if (e instanceof IOException io) {
                throw new java.io.UncheckedIOException("cannot spool the Bundle", io);
            }
            throw (RuntimeException) e;
        }
    }

    Bundle.BundleType type() {
        return type;
    }

    List<Entry> entries() {
        return entries;
    }

    /** Parses the resource of {@code entry}: strict (unknown elements are a 400 naming the entry). */
    Resource resource(Entry entry) {
        return parse(entry, tree(entry));
    }

    /** The resource of {@code entry} as a JSON tree (see {@link RecordJson}). */
    com.fasterxml.jackson.databind.node.ObjectNode tree(Entry entry) {
        if (!entry.hasResource()) {
            throw FhirException.badRequest("Bundle " + entry.label() + " has no resource");
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(entry.end() - entry.start()));
        try {
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, entry.start() + bytes.position()) < 0) {
                    throw new IOException("the spooled Bundle ended early");
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the spooled Bundle", e);
        }
        return RecordJson.read(bytes.array(), "Bundle " + entry.label());
    }

    /** The HAPI model of {@code entry}'s resource from its tree: strict, as {@link #resource}. */
    Resource parse(Entry entry, com.fasterxml.jackson.databind.node.ObjectNode tree) {
        return RecordJson.parse(fhir, tree, "Bundle " + entry.label());
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file goes anyway
        }
        deleteQuietly(file);
    }

    private static Bundle parseXml(InputStream body, long maxBytes, FhirContext fhir) {
        try {
            return fhir.newXmlParser()
                    .setParserErrorHandler(new StrictErrorHandler())
                    .parseResource(Bundle.class, new java.io.InputStreamReader(body, StandardCharsets.UTF_8));
        } catch (DataFormatException e) {
            if (LimitedInputStream.causedBy(e)) {
                throw FhirException.tooLarge("The Bundle", maxBytes);
            }
            throw FhirException.badRequest(e.getMessage());
        }
    }

    /** The one streaming pass: the Bundle's type and, for each entry, its request and its resource's bytes. */
    private static Bundle.BundleType index(InputStream body, int maxEntries, List<Entry> entries) throws IOException {
        String resourceType = null;
        String type = null;
        // (the parser must not close the stream: the rest of the body is read after it)
        try (JsonParser json = JSON.createParser(org.apache.commons.io.input.CloseShieldInputStream.wrap(body))) {
            expect(json.nextToken(), JsonToken.START_OBJECT, "a Bundle must be a JSON object");
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "resourceType" -> resourceType = json.getValueAsString();
                    case "type" -> type = json.getValueAsString();
                    case "entry" -> {
                        expect(value, JsonToken.START_ARRAY, "Bundle.entry must be an array");
                        while (json.nextToken() != JsonToken.END_ARRAY) {
                            if (entries.size() == maxEntries) {
                                throw new FhirException(
                                        413,
                                        IssueType.TOOCOSTLY,
                                        "A Bundle may hold at most " + maxEntries + " entries");
                            }
                            entries.add(entry(json, entries.size()));
                        }
                    }
                    default -> {
                        if (!BUNDLE_FIELDS.contains(field)) {
                            throw FhirException.badRequest("Unknown element '" + field + "' in Bundle");
                        }
                        json.skipChildren();
                    }
                }
            }
        }
        if (!"Bundle".equals(resourceType)) {
            throw FhirException.badRequest("The body must be a Bundle (resourceType is " + resourceType + ")");
        }
        if (type == null) {
            throw FhirException.badRequest("Bundle.type is required");
        }
        try {
            return Bundle.BundleType.fromCode(type);
        } catch (org.hl7.fhir.exceptions.FHIRException e) {
            throw FhirException.badRequest("Unknown Bundle.type '" + type + "'");
        }
    }

    private static Entry entry(JsonParser json, int index) throws IOException {
        expect(json.currentToken(), JsonToken.START_OBJECT, "Bundle.entry[" + index + "] must be an object");
        String fullUrl = null;
        String resourceType = null;
        long start = 0;
        long end = 0;
        String[] request = new String[4]; // method, url, ifNoneExist, ifMatch
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "fullUrl" -> fullUrl = json.getValueAsString();
                case "resource" -> {
                    expect(value, JsonToken.START_OBJECT, "Bundle.entry[" + index + "].resource must be an object");
                    start = json.currentTokenLocation().getByteOffset();
                    resourceType = resourceTypeOf(json);
                    end = json.currentLocation().getByteOffset();
                }
                case "request" -> {
                    expect(value, JsonToken.START_OBJECT, "Bundle.entry[" + index + "].request must be an object");
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String name = json.currentName();
                        json.nextToken();
                        switch (name) {
                            case "method" -> request[0] = json.getValueAsString();
                            case "url" -> request[1] = json.getValueAsString();
                            case "ifNoneExist" -> request[2] = json.getValueAsString();
                            case "ifMatch" -> request[3] = json.getValueAsString();
                            default -> {
                                if (!REQUEST_FIELDS.contains(name)) {
                                    throw FhirException.badRequest(
                                            "Unknown element '" + name + "' in Bundle.entry[" + index + "].request");
                                }
                                json.skipChildren();
                            }
                        }
                    }
                }
                default -> {
                    if (!ENTRY_FIELDS.contains(field)) {
                        throw FhirException.badRequest(
                                "Unknown element '" + field + "' in Bundle.entry[" + index + "]");
                    }
                    json.skipChildren();
                }
            }
        }
        HTTPVerb method = null;
        if (request[0] != null) {
            try {
                method = HTTPVerb.fromCode(request[0]);
            } catch (org.hl7.fhir.exceptions.FHIRException e) {
                throw FhirException.badRequest(
                        "Bundle.entry[" + index + "].request.method '" + request[0] + "' is not an HTTP verb");
            }
        }
        return new Entry(index, fullUrl, method, request[1], request[2], request[3], resourceType, start, end);
    }

    /** Walks a resource object to its end, returning its top-level resourceType. */
    private static String resourceTypeOf(JsonParser json) throws IOException {
        String resourceType = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            if (field.equals("resourceType")) {
                resourceType = json.getValueAsString();
            } else {
                json.skipChildren();
            }
        }
        return resourceType;
    }

    private static void expect(JsonToken actual, JsonToken expected, String message) {
        if (actual != expected) {
            throw FhirException.badRequest(message);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans up
            }
        }
    }
}
