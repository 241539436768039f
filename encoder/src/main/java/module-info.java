/**
 * The Server-Sent Events encoder: one package, {@link io.sseflow.encoder}, whose signatures use Agrona's buffers
 * and dsl-json's {@code DslJson}, so both are read by every module that reads this one.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.sseflow.encoder
{
    requires transitive org.agrona;
    requires transitive dsl.json;
    // dsl-json is an automatic module, which declares nothing it needs: its default converters load java.sql.Date
    requires java.sql;

    exports io.sseflow.encoder;
}
