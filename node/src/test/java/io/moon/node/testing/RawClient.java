package io.moon.node.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal RESP client over a plain socket for tests that must control the bytes on the wire:
 * inline commands, malformed protocol, pipelines, RESP3 types. Replies are decoded to Java
 * values: simple strings and bulks as String (bulk payloads as ISO-8859-1 to keep every byte),
 * integers as Long, arrays/sets/pushes as List, maps as Map, nulls as null, errors as
 * {@link Err}, doubles as Double, booleans as Boolean.
 */
public final class RawClient implements AutoCloseable {
    public record Err(String message) {
        @Override
        public String toString() { return "-" + message; }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends raw bytes (ISO-8859-1 string) as they are. */
    public RawClient send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Sends one command in RESP multibulk form. */
    public RawClient command(String... args) throws IOException {
        return send(encode(args));
    }

    public static String encode(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** Sends a command and reads its reply. */
    public Object call(String... args) throws IOException {
        command(args);
        return read();
    }

    public Object read() throws IOException {
        int type = in.read();
        if (type < 0) throw new IOException("connection closed");
        String line = line();
        switch (type) {
            case '+': return line;
            case '-': return new Err(line);
            case ':': return Long.parseLong(line);
            case '_': return null;
            case ',': return Double.parseDouble(line.replace("inf", "Infinity"));
            case '#': return line.equals("t");
            case '(': return new java.math.BigInteger(line);
            case '$':
            case '=':
            case '!': {
                int n = Integer.parseInt(line);
                if (n < 0) return null;
                byte[] b = in.readNBytes(n);
                line();
                String s = new String(b, StandardCharsets.ISO_8859_1);
                return type == '!' ? new Err(s) : s;
            }
            case '*':
            case '~':
            case '>': {
                int n = Integer.parseInt(line);
                if (n < 0) return null;
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < n; i++) l.add(read());
                return l;
            }
            case '%': {
                int n = Integer.parseInt(line);
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) m.put(read(), read());
                return m;
            }
            default:
                throw new IOException("unexpected reply type '" + (char) type + "' line " + line);
        }
    }

    /** Sends a command and returns its reply exactly as it came, every byte (RESP3 "~" and "*" differ here). */
    public String callRaw(String... args) throws IOException {
        command(args);
        StringBuilder sb = new StringBuilder();
        readRaw(sb);
        return sb.toString();
    }

    private void readRaw(StringBuilder sb) throws IOException {
        int type = in.read();
        if (type < 0) throw new IOException("connection closed");
        String line = line();
        sb.append((char) type).append(line).append("\r\n");
        int n = type == '$' || type == '=' || type == '!' || type == '*' || type == '~' || type == '>' || type == '%'
                ? Integer.parseInt(line) : -1;
        if (n < 0) return;
        switch (type) {
            case '$', '=', '!' -> {
                sb.append(new String(in.readNBytes(n), StandardCharsets.ISO_8859_1)).append(line()).append("\r\n");
            }
            case '%' -> {
                for (int i = 0; i < 2 * n; i++) readRaw(sb);
            }
            default -> {
                for (int i = 0; i < n; i++) readRaw(sb);
            }
        }
    }

    /**
     * True when no reply arrives within {@code ms} (the command is held back); when one does, it
     * is read and dropped. The usual timeout applies again afterwards.
     */
    public boolean silentFor(int ms) throws IOException {
        socket.setSoTimeout(ms);
        try {
            read();
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    /** True when the server has closed the connection (reads EOF within the timeout). */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                in.read();
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
