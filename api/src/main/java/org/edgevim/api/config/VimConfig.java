package org.edgevim.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The VIM's own settings ({@code vim.*} in application.properties). */
@ConfigMapping(prefix = "vim")
public interface VimConfig {

    /** Hosts registered at start-up, by host id (idempotent: already stored hosts are left as they are). */
    Map<String, HostConfig> hosts();

    Libvirt libvirt();

    /** OpenStack clouds whose compute hosts are edge hosts ({@code openstack://<cloud>/<compute-host>}). */
    Openstack openstack();

    /** Where the embedded H2 database lives (used by quarkus.datasource.jdbc.url). */
    @WithDefault("./vim-data")
    String dataDir();

    /** How often every host is probed and its VMs' states reconciled with the records. */
    @WithDefault("30s")
    Duration reconcileInterval();

    /** Graceful timeout used when a STOP, REBOOT or GRACEFUL terminate does not give one. */
    @WithDefault("30s")
    Duration defaultGracefulTimeout();

    /** Reservations and over-commit, for every host unless the host's own entry says otherwise. */
    Capacity capacity();

    Images images();

    /** Which candidates of a handover prediction get a shadow, and for how long. */
    Mobility mobility();

    interface Mobility {
        /** Candidate hosts (other than the VM's own) prepared per prediction, most likely first. */
        @WithDefault("2")
        int maxShadows();

        /** Candidates less likely than this get no shadow. */
        @WithDefault("0.2")
        double minLikelihood();

        /**
         * Whether the most likely candidate gets a memory shadow (a live migration held in sync
         * until the handover executes), where the VM's backend can hold one.
         */
        @WithDefault("true")
        boolean memoryShadow();

        /** A prediction without ttlSeconds keeps its shadows this long if no handover executes. */
        @WithDefault("60s")
        Duration defaultTtl();

        @WithDefault("1h")
        Duration maxTtl();
    }

    /** How the VIM logs in to hosts registered with an sshUri (to copy images over SFTP). */
    Ssh ssh();

    interface Ssh {
        /** Private key (OpenSSH format, no passphrase) the hosts accept. Without it, no host may have an sshUri. */
        Optional<String> identityFile();

        /** known_hosts pinning every host's key (a host missing from it is refused). */
        Optional<String> knownHostsFile();

        @WithDefault("10s")
        Duration connectTimeout();
    }

    interface Images {
        /** Largest image the VIM accepts, in MiB. */
        @WithDefault("65536")
        long maxSizeMib();

        /** Wall-clock limit of one qemu-img info. */
        @WithDefault("60s")
        Duration inspectTimeout();

        /** Copies to edge hosts that run at the same time (each to a different host or image). */
        @WithDefault("4")
        int transferThreads();

        /** Rate of each copy to a host in MiB/s, to spare the host's backhaul link; 0 = as fast as it goes. */
        @WithDefault("0")
        long maxTransferMibps();

        @WithDefault("10s")
        Duration importConnectTimeout();

        /** Time to wait for the response headers of an import's source. */
        @WithDefault("60s")
        Duration importTimeout();
    }

    /** Delivery of Mm4 notifications to subscribers' callback URIs. */
    Notifications notifications();

    interface Notifications {
        /** Notifications waiting per subscriber; beyond it the oldest waiting one is dropped (counted as failed). */
        @WithDefault("1000")
        @Positive
        int queueSize();

        @WithDefault("2s")
        Duration connectTimeout();

        /** How long one POST to a subscriber may take, response included, before it counts as a failed attempt. */
        @WithDefault("5s")
        Duration requestTimeout();

        /** Wait before the first retry; doubled after every failed attempt up to max-backoff. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("60s")
        Duration maxBackoff();

        /** Attempts per notification, the first included, before the subscriber is given up on for it. */
        @WithDefault("8")
        @Positive
        int maxAttempts();
    }

    interface Capacity {
        /** vCPUs the VIM may hand out per physical CPU. */
        @WithDefault("4.0")
        double cpuAllocationRatio();

        @WithDefault("1.0")
        double memoryAllocationRatio();

        /** VM disks are thin qcow2 overlays; 1.0 accounts their full virtual size. */
        @WithDefault("1.0")
        double diskAllocationRatio();

        @WithDefault("0")
        long reservedVcpu();

        /** Memory kept for the host's own processes. */
        @WithDefault("512")
        long reservedMemoryMib();

        @WithDefault("0")
        long reservedDiskGib();
    }

    interface HostConfig {
        @WithDefault("libvirt")
        String driver();

        String uri();

        @WithDefault("default")
        String zoneId();

        Optional<List<String>> cells();

        /** ssh://user@address[:port]: images reach the host over SFTP (else over the libvirt connection). */
        Optional<String> sshUri();

        /** Per-host overrides of vim.capacity.reserved-* */
        Optional<Long> reservedVcpu();

        Optional<Long> reservedMemoryMib();

        Optional<Long> reservedDiskGib();
    }

    interface Openstack {
        /** By cloud name. */
        Map<String, Cloud> clouds();
    }

    /**
     * One cloud. Secrets may come from the environment: {@code ${SITE_A_PASSWORD}} in the property,
     * or, when neither a password nor an application credential is set, OpenStack's own
     * {@code OS_PASSWORD} / {@code OS_APPLICATION_CREDENTIAL_ID} / {@code OS_APPLICATION_CREDENTIAL_SECRET}.
     */
    interface Cloud {
        /** Keystone, e.g. https://keystone.site-a:5000/v3 */
        String authUrl();

        Optional<String> region();

        /** Catalogue endpoints to use: public, internal or admin. */
        @WithDefault("public")
        String endpointInterface();

        Optional<String> projectName();

        @WithDefault("Default")
        String projectDomain();

        Optional<String> userName();

        @WithDefault("Default")
        String userDomain();

        Optional<String> password();

        Optional<String> applicationCredentialId();

        Optional<String> applicationCredentialSecret();

        /** none (VMs without a NIC), auto, or a network UUID. */
        @WithDefault("none")
        String network();

        Optional<String> availabilityZone();

        @WithDefault("10s")
        Duration connectTimeout();

        @WithDefault("60s")
        Duration requestTimeout();

        @WithDefault("1h")
        Duration uploadTimeout();

        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("10m")
        Duration buildTimeout();

        @WithDefault("5m")
        Duration operationTimeout();

        /** A live migration still running after this is force-completed; after twice this, aborted. */
        @WithDefault("10m")
        Duration migrationTimeout();
    }

    interface Libvirt {
        /** Storage pool on every host that holds images and VM disks. */
        @WithDefault("vim")
        String storagePool();

        /** Directory, on the host, where guests' serial consoles are logged. */
        @WithDefault("/var/log/libvirt/qemu")
        String consoleLogDir();

        /** Kernel command line for images booted with direct kernel boot. */
        @WithDefault("root=/dev/vda rw console=ttyS0")
        String kernelCmdline();

        /** auto (kvm where the host offers it, else TCG), kvm or qemu. */
        @WithDefault("auto")
        String domainType();

        @WithDefault("100ms")
        Duration pollInterval();
    }
}
