package org.edgevim.core.driver;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.model.ComputeFlavour;
import org.edgevim.core.model.VirtualCompute;

/**
 * Everything a driver needs to create one VM. Built by the core from a validated
 * {@link VirtualCompute}; a driver may trust every field of it.
 *
 * @param computeId       VIM-assigned UUID; drivers use it as the backend's name of the VM
 * @param computeName     the caller's label (validated by {@code Identifiers})
 * @param flavour         size
 * @param imageId         the catalogue id of the image to boot from (recorded with the VM)
 * @param boot            the verified images it boots from, present on the host
 * @param metadata        caller metadata, stored with the VM where the backend allows it
 * @param guestParameters words handed to the guest at boot (from metadata keys {@value #GUEST_PREFIX}*)
 */
public record ComputeSpec(
        String computeId,
        String computeName,
        ComputeFlavour flavour,
        String imageId,
        BootImages boot,
        Map<String, String> metadata,
        Map<String, String> guestParameters) {

    /** Metadata keys with this prefix are passed to the guest (kernel command line on libvirt). */
    public static final String GUEST_PREFIX = "guest.";
    private static final Pattern GUEST_KEY = Pattern.compile("[a-z0-9_]{1,32}");
    private static final Pattern GUEST_VALUE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ComputeSpec {
        Objects.requireNonNull(computeId, "computeId");
        Objects.requireNonNull(computeName, "computeName");
        Objects.requireNonNull(flavour, "flavour");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(boot, "boot");
        metadata = Map.copyOf(metadata);
        guestParameters = Map.copyOf(guestParameters);
    }

    public static ComputeSpec of(VirtualCompute compute, BootImages boot) {
        return new ComputeSpec(compute.computeId(), compute.computeName(), compute.flavour(), compute.vcImageId(),
                boot, compute.metadata(), guestParameters(compute.metadata()));
    }

    /**
     * Extracts and validates guest parameters: {@code guest.dirty_mibps=20} becomes {@code dirty_mibps=20}.
     * Strict rules, because these words end up on a kernel command line.
     */
    public static Map<String, String> guestParameters(Map<String, String> metadata) {
        Map<String, String> parameters = new TreeMap<>();
        metadata.forEach((key, value) -> {
            if (!key.startsWith(GUEST_PREFIX)) {
                return;
            }
            String name = key.substring(GUEST_PREFIX.length());
            if (!GUEST_KEY.matcher(name).matches()) {
                throw new InvalidInputException("metadata." + key,
                        "guest parameter names must be 1-32 lowercase letters, digits or '_'");
            }
            if (!GUEST_VALUE.matcher(value).matches()) {
                throw new InvalidInputException("metadata." + key,
                        "guest parameter values must be 1-64 letters, digits, '.', '_' or '-'");
            }
            parameters.put(name, value);
        });
        return parameters;
    }
}
