package dev.monkeytown.websocket.protocol;

/** A client frame the server cannot act on; answered with an error frame, the connection stays open. */
public class ProtocolException extends Exception {

    public static final String MALFORMED_JSON = "malformed-json";
    public static final String UNKNOWN_TYPE = "unknown-type";
    public static final String UNKNOWN_TOPIC = "unknown-topic";
    public static final String BAD_POSITION = "bad-position";

    private final String code;
    private final String topic;

    public ProtocolException(String code, String message, String topic) {
        super(message, null, false, false);
        this.code = code;
        this.topic = topic;
    }

    public String code() {
        return code;
    }

    public String topic() {
        return topic;
    }
}
