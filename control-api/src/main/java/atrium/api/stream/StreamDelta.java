package atrium.api.stream;

import atrium.core.asset.AssetId;

/**
 * A delta as the stream sends it: placed in the site's model and written as its JSON text once, by the
 * site's hub, whatever the number of clients.
 *
 * @param json the {@code delta} message, ready to send
 */
record StreamDelta(AssetId asset, Placement placement, String json) {}
