package org.edgevim.libvirt;

import java.util.Map;
import java.util.TreeMap;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Writes a domain's XML from a {@link DomainDefinition}, and reads the VIM's metadata back. */
final class DomainXml {

    /** Namespace of the VIM's element inside {@code <metadata>}. */
    static final String VIM_NAMESPACE = "urn:edgevim:compute:1";
    static final String VIM_PREFIX = "vim";

    private DomainXml() {
    }

    static String write(DomainDefinition d) {
        Document doc = XmlDocuments.newDocument();
        Element domain = doc.createElement("domain");
        doc.appendChild(domain);
        domain.setAttribute("type", d.domainType());
        XmlDocuments.child(domain, "name", d.name());
        XmlDocuments.child(domain, "uuid", d.name());
        XmlDocuments.child(domain, "title", d.title());

        Element metadata = XmlDocuments.child(domain, "metadata");
        metadata.appendChild(metadataElement(doc, VIM_NAMESPACE, d.title(), d.imageId(), d.metadata()));

        XmlDocuments.child(domain, "memory", Long.toString(d.memoryMiB())).setAttribute("unit", "MiB");
        XmlDocuments.child(domain, "vcpu", Integer.toString(d.vcpus()));

        Element os = XmlDocuments.child(domain, "os");
        Element type = XmlDocuments.child(os, "type", "hvm");
        type.setAttribute("arch", "x86_64");
        if (d.kernelPath() != null) {
            XmlDocuments.child(os, "kernel", d.kernelPath());
            if (d.initrdPath() != null) {
                XmlDocuments.child(os, "initrd", d.initrdPath());
            }
            if (d.kernelCmdline() != null) {
                XmlDocuments.child(os, "cmdline", d.kernelCmdline());
            }
        } else {
            XmlDocuments.child(os, "boot").setAttribute("dev", "hd");
        }
        Element features = XmlDocuments.child(domain, "features");
        XmlDocuments.child(features, "acpi"); // graceful shutdown/reboot go through the ACPI power button

        XmlDocuments.child(domain, "on_poweroff", "destroy");
        XmlDocuments.child(domain, "on_reboot", "restart");
        XmlDocuments.child(domain, "on_crash", "destroy");

        Element devices = XmlDocuments.child(domain, "devices");
        Element disk = XmlDocuments.child(devices, "disk");
        disk.setAttribute("type", "file");
        disk.setAttribute("device", "disk");
        Element driver = XmlDocuments.child(disk, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", "qcow2");
        XmlDocuments.child(disk, "source").setAttribute("file", d.diskPath());
        Element target = XmlDocuments.child(disk, "target");
        target.setAttribute("dev", "vda");
        target.setAttribute("bus", "virtio");

        // The serial console is logged to a file that survives restarts (append), so an operator
        // or a test can follow the guest from outside.
        Element serial = XmlDocuments.child(devices, "serial");
        serial.setAttribute("type", "pty");
        Element log = XmlDocuments.child(serial, "log");
        log.setAttribute("file", d.consoleLogPath());
        log.setAttribute("append", "on");
        XmlDocuments.child(serial, "target").setAttribute("port", "0");
        Element console = XmlDocuments.child(devices, "console");
        console.setAttribute("type", "pty");
        Element consoleTarget = XmlDocuments.child(console, "target");
        consoleTarget.setAttribute("type", "serial");
        consoleTarget.setAttribute("port", "0");
        XmlDocuments.child(devices, "memballoon").setAttribute("model", "none");
        return XmlDocuments.serialize(doc);
    }

    /**
     * The VIM's metadata element for {@code virDomainSetMetadata}: without a namespace, because
     * libvirt puts it in the namespace given as the call's uri (and fails if it already has one).
     */
    static String metadataXml(String title, String imageId, Map<String, String> metadata) {
        Document doc = XmlDocuments.newDocument();
        doc.appendChild(metadataElement(doc, null, title, imageId, metadata));
        return XmlDocuments.serialize(doc);
    }

    /**
     * Reads a child's text from the VIM's metadata element, as written in the domain XML or as
     * {@code virDomainGetMetadata} returns it (which strips the namespace).
     */
    static String readField(String metadataXml, String localName) {
        NodeList nodes = XmlDocuments.parse(metadataXml).getElementsByTagNameNS("*", localName);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
    }

    /** Reads the caller metadata back from the VIM's metadata element (namespaced or not). */
    static Map<String, String> readMetadata(String metadataXml) {
        Document doc = XmlDocuments.parse(metadataXml);
        NodeList entries = doc.getElementsByTagNameNS("*", "entry");
        Map<String, String> result = new TreeMap<>();
        for (int i = 0; i < entries.getLength(); i++) {
            Element entry = (Element) entries.item(i);
            result.put(entry.getAttribute("key"), entry.getTextContent());
        }
        return result;
    }

    /** {@code namespace} null: an element without namespace (see {@link #metadataXml}). */
    private static Element metadataElement(Document doc, String namespace, String title, String imageId,
                                           Map<String, String> metadata) {
        String prefix = namespace == null ? "" : VIM_PREFIX + ":";
        Element compute = doc.createElementNS(namespace, prefix + "compute");
        Element name = doc.createElementNS(namespace, prefix + "name");
        name.setTextContent(title);
        compute.appendChild(name);
        Element image = doc.createElementNS(namespace, prefix + "image");
        image.setTextContent(imageId);
        compute.appendChild(image);
        new TreeMap<>(metadata).forEach((key, value) -> {
            Element entry = doc.createElementNS(namespace, prefix + "entry");
            entry.setAttribute("key", key);
            entry.setTextContent(value);
            compute.appendChild(entry);
        });
        return compute;
    }
}
