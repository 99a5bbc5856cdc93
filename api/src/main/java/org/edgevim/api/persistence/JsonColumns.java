package org.edgevim.api.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** Small collections stored as JSON text columns (portable between H2 and PostgreSQL). */
@ApplicationScoped
public class JsonColumns {

    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };
    private final ObjectMapper mapper = new ObjectMapper();

    String writeList(List<String> values) {
        return write(values);
    }

    List<String> readList(String text) {
        return read(text, LIST);
    }

    String writeMap(Map<String, String> values) {
        return write(values);
    }

    Map<String, String> readMap(String text) {
        return read(text, MAP);
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Corrupt JSON column: " + e.getMessage(), e);
        }
    }
}
