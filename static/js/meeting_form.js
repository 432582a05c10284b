// The meeting form (templates/followups/meeting_detail.html): the new intervention's
// part shows for justér, trin ned and trin op, with its step set to one below, one
// above or the same as the current one until the user picks a step. Without
// JavaScript the part always shows and the server decides.
(function () {
  "use strict";
  var part = document.querySelector("[data-new-intervention]");
  if (!part) return;
  var form = part.closest("form");
  var current = parseInt(part.getAttribute("data-current-step") || "", 10);
  var OFFSET = { juster: 0, trin_ned: -1, trin_op: 1 };
  var picked = !!part.querySelector(".form-error");

  function decision() {
    var checked = form.querySelector("input[name=decision]:checked");
    return checked ? checked.value : "";
  }

  function update(changed) {
    var offset = OFFSET[decision()];
    part.hidden = offset === undefined;
    if (changed && !picked && offset !== undefined && !isNaN(current)) {
      var step = Math.min(6, Math.max(1, current + offset));
      var radio = part.querySelector("input[name=new_step][value='" + step + "']");
      if (radio) radio.checked = true;
    }
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "new_step") picked = true;
    if (event.target.name === "decision") update(true);
  });
  update(false);
})();
