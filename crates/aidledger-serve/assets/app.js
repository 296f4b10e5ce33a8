// AidLedger: on an article, hovering a record lights up its evidence and the other way
// round. The pages work without this.
(function () {
  "use strict";
  function each(sel, f) { Array.prototype.forEach.call(document.querySelectorAll(sel), f); }
  function light(rec, on) {
    each("mark.ev", function (m) {
      if ((" " + m.getAttribute("data-rec") + " ").indexOf(" " + rec + " ") >= 0) m.classList.toggle("hot", on);
    });
    each("li.record", function (li) { if (li.getAttribute("data-rec") === rec) li.classList.toggle("hot", on); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    each("li.record", function (li) {
      var rec = li.getAttribute("data-rec");
      li.addEventListener("mouseenter", function () { light(rec, true); });
      li.addEventListener("mouseleave", function () { light(rec, false); });
    });
    each("mark.ev", function (m) {
      var recs = (m.getAttribute("data-rec") || "").split(" ");
      m.addEventListener("mouseenter", function () { recs.forEach(function (r) { light(r, true); }); });
      m.addEventListener("mouseleave", function () { recs.forEach(function (r) { light(r, false); }); });
    });
  });
})();
