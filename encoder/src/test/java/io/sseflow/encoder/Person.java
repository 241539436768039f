package io.sseflow.encoder;

import com.dslplatform.json.CompiledJson;

/**
 * A {@code @CompiledJson} record for tests.
 */
@CompiledJson
public record Person(String name, int age)
{
}
