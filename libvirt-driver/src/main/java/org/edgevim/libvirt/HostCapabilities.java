package org.edgevim.libvirt;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads what we need from a host's capabilities XML. */
final class HostCapabilities {

    private HostCapabilities() {
    }

    /** True if the host can run x86_64 guests under KVM (libvirt lists a kvm domain type for them). */
    static boolean offersKvm(String capabilitiesXml) {
        Document doc = XmlDocuments.parse(capabilitiesXml);
        NodeList arches = doc.getElementsByTagName("arch");
        for (int i = 0; i < arches.getLength(); i++) {
            Element arch = (Element) arches.item(i);
            if (!"x86_64".equals(arch.getAttribute("name"))) {
                continue;
            }
            NodeList domains = arch.getElementsByTagName("domain");
            for (int j = 0; j < domains.getLength(); j++) {
                if ("kvm".equals(((Element) domains.item(j)).getAttribute("type"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
