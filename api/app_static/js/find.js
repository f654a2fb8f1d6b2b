// Find a unit by IMEI or serial number and open its repair; list my repairs in progress.
import { h, newId, show } from "./dom.js";
import { _ } from "./i18n.js";
import { api, session } from "./net.js";
import { waiting } from "./status.js";

export async function openRepairOf(imei, go, report) {
  try {
    const body = await api.getRepair(imei, { onWaiting: waiting });
    go(`#/repair/${body.data.repair_id}`);
  } catch (err) {
    // The server says why, in the technician's language (e.g. the unit is not IN_REPAIR_SYSTEM).
    report(err.message);
  }
}

export function findScreen(go) {
  const id = newId("unit");
  const input = h("input", { type: "search", id, autocomplete: "off", inputmode: "text", required: true });
  const message = h("p", { class: "alert", role: "alert", hidden: true });
  const submit = h("button", { type: "submit" }, _("Open the repair"));
  const report = (text) => {
    message.textContent = text;
    message.hidden = !text;
  };
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("div", { class: "field" }, h("label", { for: id }, _("IMEI or serial number")), input),
    message,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    report("");
    if (!text) return report(_("Enter the unit's IMEI or serial number."));
    submit.disabled = true;
    try {
      const found = await api.findUnits(text, { onWaiting: waiting });
      if (!found.objects.length) return report(_("No unit has this IMEI or serial number."));
      await openRepairOf(found.objects[0].product_imei, go, report);
    } catch (err) {
      report(err.message);
    } finally {
      submit.disabled = false;
    }
  });
  show(
    h("h1", {}, _("Find a unit")),
    form,
    h("p", {}, h("a", { href: "#/mine" }, _("My repairs in progress"))),
  );
}

export async function myRepairsScreen() {
  const list = h("ul", { class: "plain" });
  show(h("h1", {}, _("My repairs in progress")), list, h("p", {}, h("a", { href: "#/find" }, _("Find a unit"))));
  try {
    const body = await api.myRepairs(session.username, { onWaiting: waiting });
    if (!body.data.length) list.replaceWith(h("p", {}, _("You have no repair in progress.")));
    for (const repair of body.data) {
      list.append(
        h(
          "li",
          {},
          h(
            "a",
            { href: `#/repair/${repair.repair_id}` },
            h("strong", {}, repair.repair_state_name),
            h("br"),
            _("Unit %(imei)s · repair %(id)s", { imei: repair.product_imei, id: String(repair.repair_id) }),
          ),
        ),
      );
    }
  } catch (err) {
    list.replaceWith(h("p", { class: "alert", role: "alert" }, err.message));
  }
}
