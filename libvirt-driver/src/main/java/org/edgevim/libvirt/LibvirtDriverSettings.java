package org.edgevim.libvirt;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings shared by every libvirt host.
 *
 * @param storagePool    name of the storage pool holding images and VM disks on each host
 * @param consoleLogDir  directory (on the host) for guests' serial console logs
 * @param kernelCmdline  base kernel command line for direct-kernel-boot images
 * @param domainType     {@code auto} (kvm when the host offers it, else qemu/TCG), {@code kvm} or {@code qemu}
 * @param pollInterval   how often to look at a domain's state while waiting for it to change
 */
public record LibvirtDriverSettings(
        String storagePool,
        String consoleLogDir,
        String kernelCmdline,
        String domainType,
        Duration pollInterval) {

    public LibvirtDriverSettings {
        Objects.requireNonNull(storagePool);
        Objects.requireNonNull(consoleLogDir);
        Objects.requireNonNull(kernelCmdline);
        if (!domainType.equals("auto") && !domainType.equals("kvm") && !domainType.equals("qemu")) {
            throw new IllegalArgumentException("domain type must be auto, kvm or qemu: " + domainType);
        }
        Objects.requireNonNull(pollInterval);
    }

    public static LibvirtDriverSettings defaults() {
        return new LibvirtDriverSettings("vim", "/var/log/libvirt/qemu", "root=/dev/vda rw console=ttyS0", "auto",
                Duration.ofMillis(100));
    }
}
