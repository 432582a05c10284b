// The form for a concern and its zone (templates/ruler/assessment_form.html): the
// zone's part shows once a zone is chosen, the three columns in zone 3–5 (or when
// they hold text), marked as required there. Without JavaScript everything shows
// and the server decides.
(function () {
  "use strict";
  var form = document.querySelector("[data-zone-form]");
  if (!form) return;
  var CONCERN_ZONES = ["3", "4", "5"];

  function chosenZone() {
    var checked = form.querySelector("input[name=zone]:checked");
    return checked ? checked.value : "";
  }

  function update() {
    var zone = chosenZone();
    var required = CONCERN_ZONES.indexOf(zone) !== -1;
    form.querySelectorAll("[data-zone-part]").forEach(function (part) {
      part.hidden = !zone;
    });
    form.querySelectorAll("[data-columns]").forEach(function (columns) {
      var written = Array.prototype.some.call(columns.querySelectorAll("textarea"), function (area) {
        return area.value.trim() !== "";
      });
      columns.hidden = !required && !written;
    });
    form.querySelectorAll("[data-column]").forEach(function (column) {
      var area = column.querySelector("textarea");
      if (required) area.setAttribute("aria-required", "true");
      else area.removeAttribute("aria-required");
      column.querySelector("[data-rule=zone]").hidden = required;
      column.querySelector("[data-rule=required]").hidden = !required;
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "zone") update();
  });
  update();
})();
