package org.sightline.operation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sightline.SightlineMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Production: the web application on an external PostgreSQL, over HTTPS — either directly (a PEM certificate and
 * key) or behind a reverse proxy that terminates TLS and whose X-Forwarded-* headers are trusted. Either way the
 * session cookie is Secure, and Spring Security sends Strict-Transport-Security on every secure response.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve Sightline on an external PostgreSQL (--db-url or the usual Spring settings).")
public final class ServeCommand implements Callable<Integer>, SightlineMain.ServerCommand {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--port", description = "HTTP(S) port (default: server.port or 8080)")
    Integer port;

    @Option(
            names = "--tls-certificate",
            paramLabel = "PEM",
            description = "Serve HTTPS with this certificate chain (PEM); needs --tls-private-key")
    Path certificate;

    @Option(names = "--tls-private-key", paramLabel = "PEM", description = "The certificate's private key (PEM)")
    Path privateKey;

    @Option(
            names = "--behind-proxy",
            description = "A reverse proxy terminates TLS: trust its X-Forwarded-For and "
                    + "X-Forwarded-Proto headers (from private and loopback addresses only, or --trusted-proxies)")
    boolean behindProxy;

    @Option(
            names = "--trusted-proxies",
            paramLabel = "REGEX",
            description = "Addresses of the proxies to trust, as a regular expression (with --behind-proxy)")
    String trustedProxies;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> transport = transportArguments();
        String configured = System.getenv("SERVER_PORT");
        Ports.requireFree(
                null,
                port != null
                        ? port
                        : configured != null && configured.matches("\\d{1,5}") ? Integer.parseInt(configured) : 8080);
        List<String> args = new ArrayList<>(database.requiredSpringArguments());
        if (port != null) {
            args.add("--server.port=" + port);
        }
        args.addAll(transport);
        SpringLauncher.startServer(args);
        return 0;
    }

    /** The Spring settings for TLS or a trusted proxy; bad combinations are usage errors before anything starts. */
    List<String> transportArguments() {
        List<String> args = new ArrayList<>();
        if ((certificate == null) != (privateKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-certificate and --tls-private-key go together");
        }
        if (trustedProxies != null && !behindProxy) {
            throw new ParameterException(spec.commandLine(), "--trusted-proxies needs --behind-proxy");
        }
        if (certificate != null) {
            for (Path p : List.of(certificate, privateKey)) {
                if (!Files.isReadable(p)) {
                    throw new ParameterException(spec.commandLine(), p + " is not a readable file");
                }
            }
            args.add("--server.ssl.certificate=file:" + certificate.toAbsolutePath());
            args.add("--server.ssl.certificate-private-key=file:" + privateKey.toAbsolutePath());
        }
        if (behindProxy) {
            args.add("--server.forward-headers-strategy=native");
            if (trustedProxies != null) {
                args.add("--server.tomcat.remoteip.internal-proxies=" + trustedProxies);
            }
        }
        if (certificate != null || behindProxy) {
            args.add("--server.servlet.session.cookie.secure=true");
        }
        return args;
    }
}
