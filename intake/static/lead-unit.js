// The list's batch 交办 pre-selects the lead unit when every ticked suggestion's 建议承办单位 names the same one, as a
// single suggestion's 交办 does; when they disagree the clerk chooses, and a unit chosen by hand is left alone.
// Plain ES5, no framework.
(function () {
  var form = document.getElementById("assign");
  var lead = document.getElementById("lead-unit");
  if (!form || !lead) return;
  var byHand;
  function agreed() {
    var ticked = form.querySelectorAll("input[name=ids]:checked");
    var unit = "";
    for (var i = 0; i < ticked.length; i++) {
      var named = ticked[i].getAttribute("data-suggested-unit") || "";
      if (!named || (unit && named !== unit)) return "";
      unit = named;
    }
    return unit;
  }
  // A refused form comes back with its unit: one the ticks would not have chosen was chosen by hand.
  byHand = lead.value !== "" && lead.value !== agreed();
  lead.addEventListener("change", function () {
    byHand = lead.value !== "";  // back to 请选择… hands the choice back to the ticks
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "ids" && !byHand) lead.value = agreed();
  });
})();
