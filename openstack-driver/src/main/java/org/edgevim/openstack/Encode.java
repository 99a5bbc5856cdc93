package org.edgevim.openstack;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Every string that goes into a URL passes here: path segments and query parameters, percent-encoded. */
final class Encode {

    private Encode() {
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?k=v&...} in the given order; empty string for no parameters. */
    static String query(String... keysAndValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                params.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        if (params.isEmpty()) {
            return "";
        }
        return params.entrySet().stream().map(e -> segment(e.getKey()) + "=" + segment(e.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }
}
