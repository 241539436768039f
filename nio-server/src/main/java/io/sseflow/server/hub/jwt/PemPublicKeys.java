package io.sseflow.server.hub.jwt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads a public key from a PEM file (RFC 7468): a {@code PUBLIC KEY} block (SubjectPublicKeyInfo, what
 * {@code openssl pkey -pubout} writes) or a {@code CERTIFICATE} whose key is taken. Other blocks are refused with
 * a message saying how to get the right one.
 */
final class PemPublicKeys
{
    static final int MAX_FILE_BYTES = 64 * 1024;

    private static final String BEGIN = "-----BEGIN ";
    private static final String DASHES = "-----";

    private PemPublicKeys()
    {
    }

    /**
     * The public key of a PEM file, of the key type an algorithm needs.
     *
     * @param file      the PEM file.
     * @param algorithm RS256 (an RSA key) or ES256 (an EC key).
     * @return the key.
     * @throws IllegalArgumentException naming the file and the problem.
     */
    static PublicKey read(final Path file, final JwtAlgorithm algorithm)
    {
        final byte[] bytes;
        try
        {
            if (Files.size(file) > MAX_FILE_BYTES)
            {
                throw new IllegalArgumentException("JWT key file " + file + " is larger than " + MAX_FILE_BYTES +
                    " bytes: not a PEM public key");
            }
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read JWT key file " + file + ": " + ex, ex);
        }
        return parse(new String(bytes, StandardCharsets.ISO_8859_1), file.toString(), algorithm);
    }

    static PublicKey parse(final String pem, final String name, final JwtAlgorithm algorithm)
    {
        final int begin = pem.indexOf(BEGIN);
        final int labelEnd = begin < 0 ? -1 : pem.indexOf(DASHES, begin + BEGIN.length());
        if (labelEnd < 0)
        {
            throw new IllegalArgumentException("JWT key file " + name +
                " is not PEM: no '-----BEGIN PUBLIC KEY-----' line");
        }
        final String label = pem.substring(begin + BEGIN.length(), labelEnd);
        final String endLine = "-----END " + label + DASHES;
        final int bodyStart = labelEnd + DASHES.length();
        final int end = pem.indexOf(endLine, bodyStart);
        if (end < 0)
        {
            throw new IllegalArgumentException("JWT key file " + name + " has no '" + endLine + "' line");
        }
        if (label.contains("PRIVATE KEY"))
        {
            throw new IllegalArgumentException("JWT key file " + name + " holds a private key (" + label +
                "); give the hub the public key only: openssl pkey -in KEY -pubout");
        }
        if ("RSA PUBLIC KEY".equals(label))
        {
            throw new IllegalArgumentException("JWT key file " + name + " holds a PKCS#1 'RSA PUBLIC KEY'; convert " +
                "it to a 'PUBLIC KEY': openssl rsa -RSAPublicKey_in -in KEY -pubout");
        }
        if (!"PUBLIC KEY".equals(label) && !"CERTIFICATE".equals(label))
        {
            throw new IllegalArgumentException("JWT key file " + name + " holds a '" + label +
                "' block; it needs a 'PUBLIC KEY' (or a 'CERTIFICATE')");
        }

        final byte[] der;
        try
        {
            der = Base64.getMimeDecoder().decode(pem.substring(bodyStart, end));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("JWT key file " + name + ": the " + label + " block is not base64", ex);
        }

        final PublicKey key;
        try
        {
            key = "CERTIFICATE".equals(label) ?
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey() :
                publicKey(der);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalArgumentException("JWT key file " + name + ": the " + label + " block does not hold " +
                "an RSA or EC public key (" + ex.getMessage() + ")", ex);
        }
        final String expected = JwtAlgorithm.RS256 == algorithm ? "RSA" : "EC";
        if (!expected.equals(key.getAlgorithm()))
        {
            throw new IllegalArgumentException("JWT key file " + name + " holds an " + key.getAlgorithm() +
                " key, but " + algorithm + " needs an " + expected + " key");
        }
        return key;
    }

    private static PublicKey publicKey(final byte[] der) throws GeneralSecurityException
    {
        final X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try
        {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        }
        catch (final GeneralSecurityException notRsa)
        {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }
}
