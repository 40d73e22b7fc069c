package health.tessera.events;

/**
 * The platform's Kafka topics. Versioned names: a breaking change to a topic's events is a new topic.
 * Each topic has a dead-letter twin for events its consumers could not apply after bounded retries.
 */
public enum Topic {
    PATIENT("tessera.patient.v1"),
    RECORD("tessera.record.v1"),
    ALERT("tessera.alert.v1"),
    EXCHANGE("tessera.exchange.v1"),
    AUDIT("tessera.audit.v1");

    private final String topicName;

    Topic(String topicName) {
        this.topicName = topicName;
    }

    public String topicName() {
        return topicName;
    }

    public String deadLetterTopicName() {
        return topicName + ".dlq";
    }
}
