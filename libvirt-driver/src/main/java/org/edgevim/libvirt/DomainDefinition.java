package org.edgevim.libvirt;

import java.util.Map;
import java.util.Objects;

/**
 * Everything that goes into one domain's XML, already resolved to host paths.
 *
 * @param domainType     {@code kvm} or {@code qemu} (TCG)
 * @param name           domain name and UUID: the computeId
 * @param title          the user's compute name
 * @param imageId        recorded in the VIM metadata element
 * @param vcpus          virtual CPUs
 * @param memoryMiB      memory
 * @param kernelPath     direct-kernel-boot kernel, or null to boot from the disk
 * @param initrdPath     initramfs, or null
 * @param kernelCmdline  kernel command line, or null
 * @param diskPath       the VM's overlay disk
 * @param consoleLogPath where the serial console is appended
 * @param metadata       caller metadata, kept in the domain's VIM metadata element
 */
record DomainDefinition(
        String domainType,
        String name,
        String title,
        String imageId,
        int vcpus,
        long memoryMiB,
        String kernelPath,
        String initrdPath,
        String kernelCmdline,
        String diskPath,
        String consoleLogPath,
        Map<String, String> metadata) {

    DomainDefinition {
        if (!domainType.equals("kvm") && !domainType.equals("qemu")) {
            throw new IllegalArgumentException("domain type must be kvm or qemu: " + domainType);
        }
        DomainNames.requireComputeId(name);
        Objects.requireNonNull(title);
        Objects.requireNonNull(diskPath);
        Objects.requireNonNull(consoleLogPath);
        metadata = Map.copyOf(metadata);
    }
}
