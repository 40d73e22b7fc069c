package health.tessera.events;

/** An event that cannot be read at all: retrying will not help, it goes straight to the dead-letter topic. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
