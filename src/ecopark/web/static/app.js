// ecopark pages: small progressive enhancements (everything works without them).
"use strict";
(function () {
  // a select marked .autosubmit submits its form when changed
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { if (select.form) select.form.submit(); });
  });
  // inline check of number fields: the message comes from the page (translated on the server)
  var number = /^\s*[-+]?[0-9０-９,，]*[.．]?[0-9０-９]+\s*%?\s*$/;
  var absent = ["/", "-", "—", "－", "／"];
  document.querySelectorAll("input.number-input").forEach(function (input) {
    var note = document.getElementById(input.getAttribute("aria-describedby") || (input.id + "-error"))
      || (input.parentElement && input.parentElement.parentElement &&
          input.parentElement.parentElement.querySelector(".field-error"));
    input.addEventListener("change", function () {
      var value = input.value.trim();
      var ok = value === "" || absent.indexOf(value) >= 0 || number.test(value);
      if (!note) return;
      if (ok && note.dataset.client === "1") {
        note.hidden = true; note.textContent = ""; note.dataset.client = "";
        input.removeAttribute("aria-invalid");
      } else if (!ok) {
        note.textContent = input.dataset.invalidMessage || "";
        note.hidden = false; note.dataset.client = "1";
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", note.id);
      }
    });
  });
  // a data form wider than the screen: bring the assessed year's column (the one being filled
  // in) into view; the item names stay at the left edge (app.css)
  document.querySelectorAll(".tablewrap").forEach(function (wrap) {
    var cell = wrap.querySelector("th.assessed-year, td.assessed-year");
    if (!cell || wrap.scrollWidth <= wrap.clientWidth) return;
    var over = cell.getBoundingClientRect().right - wrap.getBoundingClientRect().right;
    if (over > 0) wrap.scrollLeft += over;
  });
  // a form saved after the session expired: put back what was typed (kept by the server)
  var kept = document.getElementById("kept-form");
  if (kept) {
    var data = JSON.parse(kept.textContent || "{}");
    document.querySelectorAll("form").forEach(function (form) {
      var action = new URL(form.action, location.href).pathname;
      if (action !== data.action) return;
      Object.keys(data.fields || {}).forEach(function (name) {
        // one value, or (a name given more than once: ticked boxes, repeated rows) a list
        var values = [].concat(data.fields[name]);
        var nth = 0;
        form.querySelectorAll("[name]").forEach(function (input) {
          if (input.name !== name || input.type === "hidden" || input.type === "file") return;
          if (input.type === "checkbox" || input.type === "radio") {
            input.checked = values.indexOf(input.value) >= 0;
          } else if (nth < values.length) {
            input.value = values[nth++];
          }
        });
      });
    });
  }
})();
