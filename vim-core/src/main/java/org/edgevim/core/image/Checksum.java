package org.edgevim.core.image;

import java.util.Locale;
import java.util.regex.Pattern;
import org.edgevim.core.error.InvalidInputException;

/**
 * A checksum of an image's bytes (ETSI SOL Checksum: algorithm and hash). The VIM computes and
 * verifies SHA-256 only.
 *
 * @param algorithm always {@value #SHA_256}
 * @param hash      lower-case hex
 */
public record Checksum(String algorithm, String hash) {

    public static final String SHA_256 = "SHA-256";
    private static final Pattern HEX_256 = Pattern.compile("[0-9a-f]{64}");

    public Checksum {
        if (!SHA_256.equals(algorithm)) {
            throw new IllegalArgumentException("unsupported algorithm " + algorithm);
        }
        if (hash == null || !HEX_256.matcher(hash).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + hash);
        }
    }

    public static Checksum sha256(String hex) {
        return new Checksum(SHA_256, hex);
    }

    /** A checksum declared by a client: SHA-256 (also spelt sha256, sha-256) and 64 hex digits. */
    public static Checksum declared(String field, String algorithm, String hash) {
        String a = algorithm == null ? "" : algorithm.toUpperCase(Locale.ROOT).replace("SHA256", "SHA-256");
        if (!SHA_256.equals(a)) {
            throw new InvalidInputException(field + ".algorithm", "only SHA-256 is supported (got '" + algorithm + "')");
        }
        String h = hash == null ? "" : hash.toLowerCase(Locale.ROOT);
        if (!HEX_256.matcher(h).matches()) {
            throw new InvalidInputException(field + ".hash", "must be 64 hexadecimal digits");
        }
        return sha256(h);
    }
}
