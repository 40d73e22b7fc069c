package health.tessera.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The event contract is written in three places that must agree: the code (Topic, EventType and the payload
 * records), the AsyncAPI document partners read (docs/asyncapi.yaml) and the topics the platform creates
 * (platform/kafka/topics.properties).
 */
class EventCatalogTest {

    private static final Path ROOT = repositoryRoot();

    @Test
    void asyncApiChannelsAreExactlyTheTopics() throws Exception {
        JsonNode asyncApi = asyncApi();
        Set<String> addresses = StreamSupport.stream(asyncApi.path("channels").spliterator(), false)
                .map(channel -> channel.path("address").asText())
                .collect(Collectors.toSet());
        assertThat(addresses)
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(Topic.values()).map(Topic::topicName).toList());
    }

    @Test
    void everyEventTypeIsDocumentedOnItsTopicWithItsPayloadFields() throws Exception {
        JsonNode asyncApi = asyncApi();
        Set<String> documented = new HashSet<>();
        asyncApi.path("components").path("messages").fields().forEachRemaining(message -> {
            documented.add(message.getValue().path("name").asText());
        });
        assertThat(documented)
                .containsExactlyInAnyOrderElementsOf(
                        EventType.ALL.stream().map(EventType::type).toList());

        for (EventType<?> type : EventType.ALL) {
            var entry = findMessage(asyncApi, type.type());
            JsonNode channel = findChannel(asyncApi, type.topic().topicName());
            assertThat(channel.path("messages").has(entry.getKey()))
                    .as("%s is documented on %s", type.type(), type.topic().topicName())
                    .isTrue();
            Set<String> documentedFields = new HashSet<>();
            JsonNode payload = entry.getValue().path("payload");
            if (payload.has("$ref")) { // a shared schema: #/components/schemas/<name>
                payload = asyncApi.at(payload.get("$ref").asText().substring(1));
            }
            payload.path("properties").fieldNames().forEachRemaining(documentedFields::add);
            Set<String> codeFields = Arrays.stream(type.payloadClass().getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getName)
                    .collect(Collectors.toSet());
            assertThat(documentedFields).as("payload fields of %s", type.type()).isEqualTo(codeFields);
        }
    }

    @Test
    void theBrokerCreatesEveryTopic() throws Exception {
        Properties declared = new Properties();
        try (FileReader in =
                new FileReader(ROOT.resolve("platform/kafka/topics.properties").toFile())) {
            declared.load(in);
        }
        assertThat(declared.stringPropertyNames())
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(Topic.values()).map(Topic::topicName).toList());
        declared.values()
                .forEach(partitions -> assertThat(
                                Integer.parseInt(partitions.toString().trim()))
                        .isPositive());
    }

    @Test
    void eventTypeNamesFollowTheConvention() {
        for (EventType<?> type : EventType.ALL) {
            assertThat(type.type()).matches("tessera\\.[a-z]+\\.[a-z]+(-[a-z]+)*\\.v\\d+");
            assertThat(type.payloadClass().isRecord()).isTrue();
            assertThat(EventType.byType(type.type())).contains(type);
        }
    }

    private static java.util.Map.Entry<String, JsonNode> findMessage(JsonNode asyncApi, String name) {
        var fields = asyncApi.path("components").path("messages").fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getValue().path("name").asText().equals(name)) {
                return field;
            }
        }
        throw new AssertionError("no message named " + name);
    }

    private static JsonNode findChannel(JsonNode asyncApi, String address) {
        for (JsonNode channel : asyncApi.path("channels")) {
            if (channel.path("address").asText().equals(address)) {
                return channel;
            }
        }
        throw new AssertionError("no channel for " + address);
    }

    private static JsonNode asyncApi() throws Exception {
        return new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("docs/asyncapi.yaml").toFile());
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/asyncapi.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "cannot find docs/asyncapi.yaml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
