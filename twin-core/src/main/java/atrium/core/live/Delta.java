package atrium.core.live;

import atrium.core.CborSerializable;
import atrium.core.asset.AssetId;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A twin's new state, as the control room's live stream shows it. */
public record Delta(AssetId asset, Instant at, JsonNode state) implements CborSerializable {}
