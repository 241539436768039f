package io.sseflow.encoder;

/**
 * A class dsl-json has no converter for.
 */
final class Unregistered
{
    final String name = "x";
}
