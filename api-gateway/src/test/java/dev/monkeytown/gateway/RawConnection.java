package dev.monkeytown.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 connection to the gateway, written byte by byte: a client that sends half a body and then nothing,
 * which no HTTP client library lets a test be. A response is read up to its declared length; a server that never
 * answers fails the test after {@code timeoutMillis} instead of hanging it.
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;

    public RawConnection(URL gateway, int timeoutMillis) throws IOException {
        socket = new Socket(gateway.getHost(), gateway.getPort());
        socket.setSoTimeout(timeoutMillis);
    }

    /**
     * A connection from another loopback address ({@code 127.0.0.2}, say): to the gateway, another client. Linux routes
     * all of 127.0.0.0/8 to the loopback interface, so no set-up is needed.
     */
    public RawConnection(URL gateway, int timeoutMillis, String fromAddress) throws IOException {
        socket = new Socket(InetAddress.getByName(gateway.getHost()), gateway.getPort(),
                InetAddress.getByName(fromAddress), 0);
        socket.setSoTimeout(timeoutMillis);
    }

    public RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawConnection send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** The status line, headers and body of the next response; fails if none comes within the timeout. */
    public String response() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) > 0) {
                received.write(buffer, 0, read);
                if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no complete response within the socket timeout; received so far: "
                    + received.toString(StandardCharsets.ISO_8859_1), e);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads (and drops) until the server closes the connection; fails if it is still open after the timeout. */
    public void awaitClosed() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) >= 0) {
                // drained
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open past the socket timeout", e);
        } catch (java.net.SocketException reset) {
            // a reset is a close too
        }
    }

    private static boolean complete(String response) {
        int headEnd = response.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = response.substring(0, headEnd).toLowerCase(Locale.ROOT);
        int at = head.indexOf("content-length: ");
        if (at < 0) {
            return true; // no body to wait for
        }
        int end = head.indexOf("\r\n", at);
        int length = Integer.parseInt(head.substring(at + 16, end < 0 ? head.length() : end).trim());
        return response.length() >= headEnd + 4 + length;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
