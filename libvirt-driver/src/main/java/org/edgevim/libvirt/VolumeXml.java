package org.edgevim.libvirt;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Storage volume XML for a VM's qcow2 overlay on a base image. */
final class VolumeXml {

    private VolumeXml() {
    }

    static String overlay(String name, long capacityBytes, String backingPath) {
        Document doc = XmlDocuments.newDocument();
        Element volume = doc.createElement("volume");
        doc.appendChild(volume);
        XmlDocuments.child(volume, "name", name);
        XmlDocuments.child(volume, "capacity", Long.toString(capacityBytes)).setAttribute("unit", "bytes");
        Element target = XmlDocuments.child(volume, "target");
        XmlDocuments.child(target, "format").setAttribute("type", "qcow2");
        Element backing = XmlDocuments.child(volume, "backingStore");
        XmlDocuments.child(backing, "path", backingPath);
        XmlDocuments.child(backing, "format").setAttribute("type", "qcow2");
        return XmlDocuments.serialize(doc);
    }
}
