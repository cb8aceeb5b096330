package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import atrium.core.runtime.TwinServices;
import atrium.devices.kiosk.Kiosk;
import atrium.devices.kiosk.Kiosks;
import atrium.devices.shelflabel.PriceCampaigns;
import atrium.devices.shelflabel.ShelfLabelSettings;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Commands to a whole site: every kiosk's content mode at once (evacuation guidance in a drill or an
 * emergency), and price campaigns over many labels, which engineers start and everyone may follow.
 */
public final class SiteCommands {
  /** The most labels one campaign request may carry; the campaign entity checks its own limit too. */
  static final int MAX_CAMPAIGN_ITEMS = 20_000;

  private final TwinServices services;
  private final PriceCampaigns campaigns;

  public SiteCommands(TwinServices services) {
    this.services = services;
    this.campaigns = new PriceCampaigns(services, ShelfLabelSettings.create(services.system().settings().config()));
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of("putSiteKioskContentMode", HttpMethod.PUT, "/api/v1/sites/{site}/kiosks/content-mode", Access.OPERATE,
            "Sets every kiosk of the site to one content mode (evacuation-guidance in an emergency)", this::kiosksEverywhere),
        Endpoint.of("startPriceCampaign", HttpMethod.POST, "/api/v1/sites/{site}/price-campaigns", Access.ENGINEER,
            "Starts a price campaign over many labels", this::startCampaign),
        Endpoint.of("listPriceCampaigns", HttpMethod.GET, "/api/v1/sites/{site}/price-campaigns", Access.VIEW,
            "The site's running and ended price campaigns", this::listCampaigns),
        Endpoint.of("getPriceCampaign", HttpMethod.GET, "/api/v1/sites/{site}/price-campaigns/{campaign}", Access.VIEW,
            "A price campaign's progress: dispatched, acknowledged, failed", this::campaign));
  }

  private String site(Call call) {
    String site = Assets.validSite(call.param("site"));
    if (services.sites().site(site).isEmpty()) throw new ApiException(Problem.unknownSite(site));
    return site;
  }

  private CompletionStage<Reply> kiosksEverywhere(Call call) {
    String site = site(call);
    JsonNode body = call.jsonBody();
    Bodies.only(body, Set.of("mode"));
    Kiosk.ContentMode mode = Bodies.choice(body, "mode", Kiosk.ContentMode.class, Kiosk.ContentMode::wireName);
    return Kiosks.setContentModeEverywhere(services, site, mode, call.principal().subject()).handle((fanOut, failure) -> {
      if (failure != null) throw AssetCommands.translate(failure);
      return Reply.json(fanOut.complete() ? HttpResponseStatus.OK : HttpResponseStatus.MULTI_STATUS, fanOut);
    });
  }

  private CompletionStage<Reply> startCampaign(Call call) {
    String site = site(call);
    JsonNode body = call.jsonBody();
    Bodies.only(body, Set.of("id", "prices"));
    String id = Bodies.text(body, "id");
    JsonNode prices = body.get("prices");
    if (prices == null || !prices.isArray() || prices.isEmpty()) throw Bodies.invalid("$.prices", "required: an array of {label, price}");
    if (prices.size() > MAX_CAMPAIGN_ITEMS) throw Bodies.invalid("$.prices", "at most " + MAX_CAMPAIGN_ITEMS + " labels per campaign");
    List<PriceCampaigns.LabelPrice> items = new ArrayList<>(prices.size());
    for (int i = 0; i < prices.size(); i++) {
      JsonNode p = prices.get(i);
      String at = "$.prices[" + i + "]";
      if (!p.isObject()) throw Bodies.invalid(at, "must be an object {label, price}");
      for (var it = p.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!f.equals("label") && !f.equals("price")) throw Bodies.invalid(at + "." + f, "unknown field; expected label, price");
      }
      JsonNode label = p.get("label");
      if (label == null || !label.isTextual()) throw Bodies.invalid(at + ".label", "required: the label's id");
      JsonNode price = p.get("price");
      if (price == null || !(price.isNumber() || price.isTextual())) throw Bodies.invalid(at + ".price", "required: a decimal price");
      try {
        items.add(new PriceCampaigns.LabelPrice(label.asText(), price.isNumber() ? price.decimalValue() : new java.math.BigDecimal(price.asText())));
      } catch (NumberFormatException e) {
        throw Bodies.invalid(at + ".price", "'" + price.asText() + "' is not a decimal number");
      }
    }
    return campaigns.start(site, id, items, call.principal().subject()).handle((progress, failure) -> {
      if (failure != null) throw AssetCommands.translate(failure);
      return Reply.json(HttpResponseStatus.ACCEPTED, progress)
          .withHeader("Location", "/api/v1/sites/" + site + "/price-campaigns/" + id);
    });
  }

  private CompletionStage<Reply> listCampaigns(Call call) {
    return campaigns.list(site(call)).handle((listing, failure) -> {
      if (failure != null) throw AssetCommands.translate(failure);
      return Reply.json(listing);
    });
  }

  private CompletionStage<Reply> campaign(Call call) {
    String site = site(call);
    String id = call.param("campaign");
    return campaigns.progress(site, id).handle((progress, failure) -> {
      if (failure != null) {
        RuntimeException e = AssetCommands.translate(failure);
        if (e instanceof ApiException a && a.problem().status().code() == 422) {
          throw new ApiException(Problem.notFound("unknown-campaign", "Unknown price campaign", a.problem().detail()));
        }
        throw e;
      }
      return Reply.json(progress);
    });
  }
}
