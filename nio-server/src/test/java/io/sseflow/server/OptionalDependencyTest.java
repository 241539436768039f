package io.sseflow.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
 * The hub's optional dependencies (the JWT library, Aeron Cluster): only classes of the one package that uses each
 * refer to it, so an application that embeds the server (and never loads that package) runs without it on its
 * class path.
 */
class OptionalDependencyTest
{
    @ParameterizedTest
    @CsvSource({
        "com/nimbusds/, io/sseflow/server/hub/jwt/, io/sseflow/server/hub/jwt/JwtVerifier.class",
        "io/aeron/, io/sseflow/server/cluster/, io/sseflow/server/cluster/ClusterNode.class"})
    void shouldReferToAnOptionalDependencyOnlyFromItsOwnPackage(
        final String dependency, final String ownPackage, final String knownUser) throws Exception
    {
        final Path classes = Path.of(SseServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final List<String> referring = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(classes, 10))
        {
            for (final Path file : (Iterable<Path>)files.filter((path) -> path.toString().endsWith(".class"))::iterator)
            {
                scanned++;
                if (refersTo(file, dependency))
                {
                    referring.add(classes.relativize(file).toString().replace('\\', '/'));
                }
            }
        }
        assertTrue(scanned > 50, "scanned " + scanned + " classes in " + classes);
        assertEquals(List.of(), referring.stream().filter((name) -> !name.startsWith(ownPackage)).toList());
        assertTrue(referring.contains(knownUser), referring.toString());
    }

    private static boolean refersTo(final Path file, final String dependency) throws IOException
    {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(dependency);
    }
}
