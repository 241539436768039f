package io.sseflow.server.hub.jwt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JwtSettings}: keys checked once, at start, with messages that name the problem.
 */
class JwtSettingsTest
{
    @TempDir
    Path directory;

    @Test
    void shouldRefuseAnHs256SecretShorterThan256Bits()
    {
        assertEquals("an HS256 secret must be at least 32 bytes (256 bits) long, this one has 31 (248 bits)",
            message(() -> JwtSettings.sharedSecret("x".repeat(31))));
        assertEquals("an HS256 secret must be at least 32 bytes (256 bits) long, this one has 0 (0 bits)",
            message(() -> JwtSettings.sharedSecret("")));
        final JwtSettings settings = JwtSettings.sharedSecret("x".repeat(32));
        assertEquals(JwtAlgorithm.HS256, settings.algorithm());
        assertFalse(settings.allowAnonymous());
        assertTrue(settings.allowAnonymous(true).allowAnonymous());
        assertEquals("JwtSettings{algorithm=HS256, shared secret, allowAnonymous=false}", settings.toString());
        assertEquals(32, JwtSettings.sharedSecret("\u00e9".repeat(16)).secret().length, "counted in UTF-8 bytes");
    }

    @Test
    void shouldNameAnUnknownAlgorithm()
    {
        assertEquals("unknown JWT algorithm 'HS512'; the hub verifies HS256, RS256 or ES256",
            message(() -> JwtAlgorithm.of("HS512")));
        assertEquals("unknown JWT algorithm 'none'; the hub verifies HS256, RS256 or ES256",
            message(() -> JwtAlgorithm.of("none")));
        assertEquals(JwtAlgorithm.RS256, JwtAlgorithm.of("rs256"));
        assertEquals("HS256 is verified with a shared secret, not a public key; a public key needs RS256 or ES256",
            message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.HS256, directory.resolve("k.pem"))));
    }

    @Test
    void shouldExplainAKeyFileThatCannotBeUsed()
    {
        final Path missing = directory.resolve("missing.pem");
        assertTrue(message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, missing))
            .startsWith("cannot read JWT key file " + missing + ": java.nio.file.NoSuchFileException"));
        assertTrue(message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, directory))
            .startsWith("cannot read JWT key file " + directory + ": "));

        final Path text = TestTokens.write(directory, "text.pem", "hello");
        assertEquals("JWT key file " + text + " is not PEM: no '-----BEGIN PUBLIC KEY-----' line",
            message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, text)));

        final KeyPair rsa = TestTokens.rsaKeyPair(2048);
        final Path privateKey = TestTokens.write(directory, "private.pem",
            TestTokens.pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        assertEquals("JWT key file " + privateKey + " holds a private key (PRIVATE KEY); give the hub the public " +
            "key only: openssl pkey -in KEY -pubout", message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, privateKey)));

        final Path pkcs1 = TestTokens.write(directory, "pkcs1.pem", TestTokens.pem("RSA PUBLIC KEY", new byte[]{1}));
        assertEquals("JWT key file " + pkcs1 + " holds a PKCS#1 'RSA PUBLIC KEY'; convert it to a 'PUBLIC KEY': " +
            "openssl rsa -RSAPublicKey_in -in KEY -pubout", message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, pkcs1)));

        final Path unterminated = TestTokens.write(directory, "cut.pem", "-----BEGIN PUBLIC KEY-----\nMIIB\n");
        assertEquals("JWT key file " + unterminated + " has no '-----END PUBLIC KEY-----' line",
            message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, unterminated)));

        final Path garbage = TestTokens.write(directory, "garbage.pem", TestTokens.pem("PUBLIC KEY", new byte[]{1, 2, 3}));
        assertTrue(message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, garbage)).startsWith(
            "JWT key file " + garbage + ": the PUBLIC KEY block does not hold an RSA or EC public key ("));

        final Path notBase64 = TestTokens.write(directory, "b64.pem",
            "-----BEGIN PUBLIC KEY-----\nM=I=I\n-----END PUBLIC KEY-----\n");
        assertEquals("JWT key file " + notBase64 + ": the PUBLIC KEY block is not base64",
            message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, notBase64)));
    }

    @Test
    void shouldRefuseAKeyOfTheWrongTypeOrSize()
    {
        final Path rsa = TestTokens.writePem(directory, "rsa.pem", TestTokens.rsaKeyPair(2048).getPublic());
        final Path ec = TestTokens.writePem(directory, "ec.pem", TestTokens.ecKeyPair("secp256r1").getPublic());
        assertEquals("JWT key file " + rsa + " holds an RSA key, but ES256 needs an EC key",
            message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.ES256, rsa)));
        assertEquals("JWT key file " + ec + " holds an EC key, but RS256 needs an RSA key",
            message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, ec)));

        final Path small = TestTokens.writePem(directory, "small.pem", TestTokens.rsaKeyPair(1024).getPublic());
        assertEquals("an RS256 key must have at least 2048 bits, this one has 1024",
            message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, small)));
        final Path p384 = TestTokens.writePem(directory, "p384.pem", TestTokens.ecKeyPair("secp384r1").getPublic());
        assertEquals("ES256 needs an EC key on curve P-256 (secp256r1), this one is on another curve (384 bits)",
            message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.ES256, p384)));

        assertEquals(JwtAlgorithm.RS256, JwtSettings.publicKeyFile(JwtAlgorithm.RS256, rsa).algorithm());
        assertEquals(JwtAlgorithm.ES256, JwtSettings.publicKeyFile(JwtAlgorithm.ES256, ec).algorithm());
    }

    @Test
    void shouldTakeThePublicKeyOfAPemCertificate() throws Exception
    {
        final Path keyStore = directory.resolve("hub.p12");
        final Path certificate = directory.resolve("hub.crt");
        final String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "hub", "-dname", "CN=hub",
            "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "hub", "-keystore", keyStore.toString(), "-storepass", "changeit",
            "-file", certificate.toString());
        assertTrue(java.nio.file.Files.readString(certificate).startsWith("-----BEGIN CERTIFICATE-----"));

        final java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(keyStore))
        {
            store.load(in, "changeit".toCharArray());
        }
        final java.security.PrivateKey privateKey = (java.security.PrivateKey)store.getKey("hub", "changeit".toCharArray());
        final String token = TestTokens.sign(TestTokens.header(com.nimbusds.jose.JWSAlgorithm.ES256), TestTokens.CLAIMS,
            TestTokens.ecSigner(new KeyPair(null, privateKey)));

        final JwtVerifier verifier =
            new JwtVerifier(JwtSettings.publicKeyFile(JwtAlgorithm.ES256, certificate), TestTokens.CLOCK);
        assertEquals(java.util.List.of("*"), verifier.verify(token).claims().publish());
        assertEquals("JWT key file " + certificate + " holds an EC key, but RS256 needs an RSA key",
            message(() -> JwtSettings.publicKeyFile(JwtAlgorithm.RS256, certificate)));
    }

    private static void run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, process.exitValue(), output);
    }

    private static String message(final org.junit.jupiter.api.function.Executable executable)
    {
        return assertThrows(IllegalArgumentException.class, executable).getMessage();
    }
}
