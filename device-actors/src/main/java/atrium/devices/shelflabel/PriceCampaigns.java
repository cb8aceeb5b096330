package atrium.devices.shelflabel;

import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.shelflabel.PriceCampaign.Item;
import atrium.devices.shelflabel.PriceCampaign.Progress;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Price campaigns for the doors (the REST API): start one over many labels in one call, and watch
 * its progress. A refusal fails the stage with {@link StatusReply.ErrorMessage} and a reason a person
 * can act on; nothing is stored then.
 */
public final class PriceCampaigns {
  /** Campaign ids: letters, digits, '.', '_' and '-', 1 to 55 characters. */
  public static final Pattern CAMPAIGN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,54}");
  /** A campaign's progress deltas are published as those of shelf-label asset {@code campaign.<campaignId>}. */
  public static final String DELTA_PREFIX = "campaign.";
  /** How many problems a refusal lists. */
  static final int LISTED_PROBLEMS = 10;

  /** One label's new price, as a caller gives it. */
  public record LabelPrice(String labelId, BigDecimal price) {}

  private final TwinServices services;
  private final ShelfLabelSettings settings;

  public PriceCampaigns(TwinServices services, ShelfLabelSettings settings) {
    this.services = services;
    this.settings = settings;
  }

  /**
   * Starts campaign {@code campaignId} of {@code site}: every label in {@code prices} is to show its
   * price. Checked whole before anything is sent; completes with the campaign's progress once it
   * runs. Starting the same campaign again with the same prices is harmless.
   */
  public CompletionStage<Progress> start(String site, String campaignId, List<LabelPrice> prices, String by) {
    Optional<Site> s = services.sites().site(site);
    if (s.isEmpty()) return refuse("no site '" + site + "' on this server");
    if (campaignId == null || !CAMPAIGN_ID.matcher(campaignId).matches()) {
      return refuse("campaign id '" + campaignId + "' must be 1 to 55 letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit");
    }
    if (prices == null || prices.isEmpty()) return refuse("campaign " + campaignId + " names no labels");
    if (prices.size() > settings.campaignMaxLabels()) {
      return refuse("a campaign changes at most " + settings.campaignMaxLabels() + " labels, not " + prices.size());
    }
    Problems problems = new Problems();
    List<Item> items = new ArrayList<>(prices.size());
    for (int i = 0; i < prices.size(); i++) {
      LabelPrice p = prices.get(i);
      try {
        items.add(new Item(p.labelId(), Prices.toCents(p.price())));
      } catch (IllegalArgumentException e) {
        problems.add("item " + i + " (" + p.labelId() + "): " + e.getMessage());
        items.add(new Item(p.labelId(), 1));
      }
    }
    checkItems(s.get(), items, 0, Set.of(), problems);
    if (!problems.isEmpty()) return refuse(problems.describe(campaignId));
    // Listed first, so that the site's directory keeps it running whatever happens to the node.
    return Stages.plain(directory(site).<Done>askWithStatus(
            r -> new CampaignDirectory.Register(campaignId, items.size(), by, r), services.askTimeout()))
        .thenCompose(listed -> send(campaign(site, campaignId), items, 0, by));
  }

  /** The site's campaigns: those running and the last that ended. */
  public CompletionStage<CampaignDirectory.Listing> list(String site) {
    if (services.sites().site(site).isEmpty()) return refuse("no site '" + site + "' on this server");
    return Stages.plain(directory(site).ask(CampaignDirectory.GetCampaigns::new, services.askTimeout()));
  }

  /** The campaign's progress; fails with {@link StatusReply.ErrorMessage} when there is no such campaign. */
  public CompletionStage<Progress> progress(String site, String campaignId) {
    if (campaignId == null || !CAMPAIGN_ID.matcher(campaignId).matches()) {
      return refuse("no price campaign '" + campaignId + "' in site " + site);
    }
    return Stages.plain(campaign(site, campaignId).askWithStatus(PriceCampaign.GetProgress::new, services.askTimeout()));
  }

  private CompletionStage<Progress> send(EntityRef<PriceCampaign.Command> campaign, List<Item> items, int offset, String by) {
    int end = Math.min(items.size(), offset + settings.campaignChunkSize());
    List<Item> chunk = List.copyOf(items.subList(offset, end));
    CompletionStage<Progress> sent = Stages.plain(campaign.askWithStatus(
        r -> new PriceCampaign.AddItems(offset, chunk, items.size(), by, r), services.askTimeout()));
    return end == items.size() ? sent : sent.thenCompose(p -> send(campaign, items, end, by));
  }

  private EntityRef<CampaignDirectory.Command> directory(String site) {
    return services.sharding().entityRefFor(CampaignDirectory.ENTITY_KEY, site);
  }

  private EntityRef<PriceCampaign.Command> campaign(String site, String campaignId) {
    return services.sharding().entityRefFor(PriceCampaign.ENTITY_KEY, PriceCampaign.entityId(site, campaignId));
  }

  /**
   * Adds what is wrong with items {@code offset...} of a campaign of {@code site}: labels the site
   * lacks, labels named twice (here or in {@code earlier}) and prices out of range.
   */
  static void checkItems(Site site, List<Item> items, int offset, Set<String> earlier, Problems problems) {
    Set<String> seen = new HashSet<>(Math.max(16, items.size() * 2));
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      String where = "item " + (offset + i);
      if (item == null || item.labelId() == null) {
        problems.add(where + ": a label id is required");
      } else if (!site.hasShelfLabel(item.labelId())) {
        problems.add(where + ": no shelf label '" + item.labelId() + "' in site " + site.id());
      } else if (earlier.contains(item.labelId()) || !seen.add(item.labelId())) {
        problems.add(where + ": label " + item.labelId() + " is named twice");
      } else if (item.priceCents() < 1 || item.priceCents() > Prices.MAX_CENTS) {
        problems.add(where + " (" + item.labelId() + "): a price is 0.01 to " + Prices.format(Prices.MAX_CENTS)
            + ", not " + Prices.format(item.priceCents()));
      }
    }
  }

  /** The problems of a refused campaign: the first {@link #LISTED_PROBLEMS} in words, and how many in all. */
  static final class Problems {
    private final List<String> listed = new ArrayList<>();
    private int count;

    void add(String problem) {
      count++;
      if (listed.size() < LISTED_PROBLEMS) listed.add(problem);
    }

    boolean isEmpty() {
      return count == 0;
    }

    String describe(String campaignId) {
      return "campaign " + campaignId + " not started: " + String.join("; ", listed)
          + (count > listed.size() ? "; and " + (count - listed.size()) + " more" : "");
    }
  }

  private static <T> CompletionStage<T> refuse(String reason) {
    return CompletableFuture.failedFuture(new StatusReply.ErrorMessage(reason));
  }
}
