import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TEST SCAFFOLDING, not part of the kit to copy: the JDK has no JSON parser, and the conformance
 * run must need nothing but the JDK. A real client reads replies with Jackson (or Gson) into
 * types of its own. Parses one JSON text into Map (objects, key order kept), List, String,
 * BigDecimal, Boolean and null; refuses anything else with the offset where it stopped.
 */
final class MiniJson {
    private final String text;
    private int at;

    private MiniJson(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        MiniJson parser = new MiniJson(text);
        Object value = parser.value();
        parser.skipSpace();
        if (parser.at != text.length()) throw parser.error("text after the value");
        return value;
    }

    private Object value() {
        skipSpace();
        if (at >= text.length()) throw error("end of text, wanted a value");
        char c = text.charAt(at);
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"') return string();
        if (text.startsWith("true", at)) return literal("true", Boolean.TRUE);
        if (text.startsWith("false", at)) return literal("false", Boolean.FALSE);
        if (text.startsWith("null", at)) return literal("null", null);
        return number();
    }

    private Map<String, Object> object() {
        Map<String, Object> object = new LinkedHashMap<>();
        at++; // {
        skipSpace();
        if (take('}')) return object;
        do {
            skipSpace();
            if (at >= text.length() || text.charAt(at) != '"') throw error("wanted a key");
            String key = string();
            skipSpace();
            if (!take(':')) throw error("wanted ':'");
            object.put(key, value());
            skipSpace();
        } while (take(','));
        if (!take('}')) throw error("wanted ',' or '}'");
        return object;
    }

    private List<Object> array() {
        List<Object> array = new ArrayList<>();
        at++; // [
        skipSpace();
        if (take(']')) return array;
        do {
            array.add(value());
            skipSpace();
        } while (take(','));
        if (!take(']')) throw error("wanted ',' or ']'");
        return array;
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        at++; // "
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') return out.toString();
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) break;
            char escape = text.charAt(at++);
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) throw error("short \\u escape");
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw error("unknown escape \\" + escape);
            }
        }
        throw error("unterminated string");
    }

    private BigDecimal number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
        try {
            return new BigDecimal(text.substring(start, at));
        } catch (NumberFormatException e) {
            at = start;
            throw error("wanted a value");
        }
    }

    private Object literal(String word, Object value) {
        at += word.length();
        return value;
    }

    private boolean take(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("JSON: " + problem + " at offset " + at);
    }
}
