// The bar at the bottom: what the app is waiting for (a submission retried on a bad connection).
import { _ } from "./i18n.js";

export function waiting(info) {
  const bar = document.getElementById("status");
  if (!info) {
    bar.hidden = true;
    bar.textContent = "";
    bar.classList.remove("waiting");
    return;
  }
  bar.hidden = false;
  bar.classList.add("waiting");
  bar.textContent = info.offline
    ? _("No network: waiting to send again (attempt %(tries)s). Nothing is lost.", { tries: info.tries })
    : _("The server is busy: waiting to send again (attempt %(tries)s).", { tries: info.tries });
}
