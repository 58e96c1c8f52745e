package dev.otptoken.host.imports.pskc;

import dev.otptoken.host.imports.ExportSize;
import dev.otptoken.host.imports.ImportException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The XML side of PSKC: a parser that reads no DTD at all (a DOCTYPE is refused, so there are no
 * entities to expand or fetch), bounded in depth, attributes and markup, and the few DOM walks
 * the reader needs. Elements are matched by local name inside the PSKC container: RFC 6030's own
 * figures leave the PBKDF2 parameters unqualified, and vendors mix prefixes freely.
 */
final class PskcXml {
    static final String NAMESPACE = "urn:ietf:params:xml:ns:keyprov:pskc";
    /** Deeper than any PSKC document (about 8 levels) by far. */
    static final int MAX_DEPTH = 32;
    /** Attributes on one element; PSKC's busiest has four. */
    static final int MAX_ATTRIBUTES = 64;
    /**
     * Elements plus attributes in the file (counted as '<' and '=' before parsing): about 40 per
     * key, so room for a couple of thousand keys, and a bound on the DOM's memory.
     */
    static final int MAX_MARKUP = 100_000;

    private static final DocumentBuilderFactory FACTORY = factory();

    private PskcXml() {
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute("jdk.xml.maxElementDepth", String.valueOf(MAX_DEPTH));
            f.setAttribute("jdk.xml.elementAttributeLimit", String.valueOf(MAX_ATTRIBUTES));
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be hardened: " + e.getMessage(), e);
        }
        return f;
    }

    /**
     * The document of {@code content}.
     *
     * @throws ImportException for a DOCTYPE, malformed XML, or a file beyond the bounds
     */
    static Document parse(byte[] content) throws ImportException {
        ExportSize.check(content, PskcReader.FORMAT);
        int markup = 0;
        for (byte b : content) {
            if (b == '<' || b == '=') {
                markup++;
            }
        }
        if (markup > MAX_MARKUP) {
            throw new ImportException(PskcReader.FORMAT + ": more than " + MAX_MARKUP
                    + " elements and attributes; at most that many are accepted");
        }
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(QUIET);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity");
            });
            return builder.parse(new InputSource(new ByteArrayInputStream(content)));
        } catch (SAXParseException e) {
            throw new ImportException(PskcReader.FORMAT + ": " + reason(e) + " (line " + e.getLineNumber() + ")");
        } catch (SAXException | IOException | ParserConfigurationException | RuntimeException | StackOverflowError e) {
            throw new ImportException(PskcReader.FORMAT + ": not well-formed XML");
        }
    }

    /** The parser's complaint in our words: its own messages may quote the document. */
    private static String reason(SAXParseException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("DOCTYPE")) {
            return "the file has a DOCTYPE, which PSKC files do not have; it is refused (no DTD, no entities)";
        }
        if (m.contains("maxElementDepth") || m.contains("depth")) {
            return "elements nested deeper than " + MAX_DEPTH;
        }
        if (m.contains("elementAttributeLimit") || m.contains("attributes")) {
            return "an element with more than " + MAX_ATTRIBUTES + " attributes";
        }
        if (m.contains("was referenced")) {
            return "an entity reference, which PSKC files do not have";
        }
        return "not well-formed XML";
    }

    /** Throws on errors and says nothing: the default handler prints to standard error. */
    private static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // Warnings do not stop the parse and are not shown.
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    /** The child elements of {@code parent} named {@code localName}, in order. */
    static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    /** The only child element named {@code localName}, or null; refused when there are several. */
    static Element child(Element parent, String localName) throws ImportException {
        List<Element> found = children(parent, localName);
        if (found.size() > 1) {
            throw new ImportException(PskcReader.FORMAT + ": <" + localName + "> appears " + found.size()
                    + " times where one is expected");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** The element at the end of {@code path} below {@code parent}, or null. */
    static Element path(Element parent, String... path) throws ImportException {
        Element e = parent;
        for (String p : path) {
            e = child(e, p);
            if (e == null) {
                return null;
            }
        }
        return e;
    }

    /** The trimmed text of {@code element}, or null for no element or empty text. */
    static String text(Element element) {
        if (element == null) {
            return null;
        }
        String t = element.getTextContent().strip();
        return t.isEmpty() ? null : t;
    }

    /** An attribute's trimmed value, or null when absent or empty. */
    static String attribute(Element element, String name) {
        if (element == null || !element.hasAttribute(name)) {
            return null;
        }
        String v = element.getAttribute(name).strip();
        return v.isEmpty() ? null : v;
    }

    /**
     * Base64 of an element's text (XML line breaks and spaces in it allowed, anything else outside
     * the alphabet refused).
     */
    static byte[] base64(Element element, String what) throws ImportException {
        String t = text(element);
        if (t == null) {
            throw new ImportException(PskcReader.FORMAT + ": " + what + " is empty");
        }
        String compact = t.replaceAll("[ \t\r\n]", "");
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new ImportException(PskcReader.FORMAT + ": " + what + " is not valid Base64");
        }
    }

    /** A short, printable form of a value from the file for a message, or "?" when it is odd. */
    static String echo(String value) {
        if (value == null) {
            return "?";
        }
        String v = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return v.matches("[A-Za-z0-9:#/._+ -]*") ? v : "?";
    }
}
