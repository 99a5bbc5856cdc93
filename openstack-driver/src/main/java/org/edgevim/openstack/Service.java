package org.edgevim.openstack;

/**
 * The cloud services the driver calls, with the API version it asks each for. One fixed
 * microversion per service, so that every response has the shape the code was written for.
 */
enum Service {
    /** Nova 2.74 (Train): {@code host} in server create; live migration without {@code force} (2.68),
     *  {@code block_migration: auto} (2.25), migration progress (2.23), abort (2.24, queued too since 2.65),
     *  force-complete (2.22), {@code networks: none} (2.37). */
    COMPUTE("compute", "2.74"),
    IMAGE("image", null),
    /** Placement 1.14: resource providers by name, inventories, usages, provider allocations. */
    PLACEMENT("placement", "1.14");

    final String type;
    final String microversion;

    Service(String type, String microversion) {
        this.type = type;
        this.microversion = microversion;
    }
}
