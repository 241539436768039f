package io.sseflow.server.hub.jwt;

import io.sseflow.server.SseServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JWT library is an optional dependency: only classes of this package refer to it, so an application that
 * embeds the server (and never loads this package) runs without it on its class path.
 */
class OptionalDependencyTest
{
    @Test
    void shouldReferToTheJwtLibraryOnlyFromThisPackage() throws Exception
    {
        final Path classes = Path.of(SseServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final List<String> referring = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(classes, 10))
        {
            for (final Path file : (Iterable<Path>)files.filter((path) -> path.toString().endsWith(".class"))::iterator)
            {
                scanned++;
                if (refersToNimbus(file))
                {
                    referring.add(classes.relativize(file).toString().replace('\\', '/'));
                }
            }
        }
        assertTrue(scanned > 50, "scanned " + scanned + " classes in " + classes);
        assertEquals(List.of(), referring.stream().filter((name) -> !name.startsWith("io/sseflow/server/hub/jwt/")).toList());
        assertTrue(referring.contains("io/sseflow/server/hub/jwt/JwtVerifier.class"), referring.toString());
    }

    private static boolean refersToNimbus(final Path file) throws IOException
    {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("com/nimbusds/");
    }
}
