package org.sightline.operation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks a server's port before anything starts, so a taken port costs a second, not a full start-up. */
final class Ports {

    private Ports() {}

    static void requireFree(String host, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("--port must be 1 to 65535");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host == null ? null : InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new EnvironmentException(
                    "port " + port + (host == null ? "" : " on " + host)
                            + " is in use (is a demo or another server running?): stop it or choose another with --port",
                    e);
        }
    }
}
