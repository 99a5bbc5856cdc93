package org.edgevim.api.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import org.edgevim.core.image.DiskFormat;

/**
 * How core values the core cannot annotate (it knows no Jackson) appear in JSON: disk formats by
 * their Glance names ({@code qcow2}, {@code raw}, {@code aki}, {@code ari}), as clients send them.
 */
@Singleton
public class JsonMappings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("edge-vim").addSerializer(DiskFormat.class,
                new StdSerializer<>(DiskFormat.class) {
                    @Override
                    public void serialize(DiskFormat value, JsonGenerator json, SerializerProvider provider)
                            throws IOException {
                        json.writeString(value.apiName());
                    }
                }));
    }
}
