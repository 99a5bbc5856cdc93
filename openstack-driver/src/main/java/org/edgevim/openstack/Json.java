package org.edgevim.openstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.edgevim.core.error.BackendException;

/** Jackson's tree model: the clouds' JSON is read by path, so a field we do not know never breaks us. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body as JSON; an empty body is a missing node. */
    static JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BackendException("The cloud answered with something that is not JSON", e);
        }
    }

    /** Like {@link #read} but never throws: for error bodies, which may be HTML or text. */
    static JsonNode readQuietly(byte[] body) {
        try {
            return read(body);
        } catch (BackendException e) {
            return MissingNode.getInstance();
        }
    }
}
