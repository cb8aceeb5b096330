package atrium.api.rest;

import atrium.api.http.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

final class Replies {
  private Replies() {}

  static CompletionStage<Reply> done(Reply r) {
    return CompletableFuture.completedFuture(r);
  }
}
