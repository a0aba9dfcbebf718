/* The admin's autocomplete (select2 4.0) names each combobox only by its current choice, so
   an empty one has no name, and marks the choice up as a read-only text box, also nameless.
   Name each combobox after its field (the select's label, or its aria-label in a table's
   row) followed by the choice; the choice becomes plain text, as select2 4.1 does it. */
"use strict";
(function () {
  function fieldName(select) {
    const label = select.labels && select.labels[0];
    const text = label ? label.textContent : select.getAttribute("aria-label") || "";
    return text.replace(/:\s*$/, "").trim();
  }

  function nameComboboxes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      const combobox = container && container.querySelector(".select2-selection[role=combobox]");
      const choice = combobox && combobox.querySelector(".select2-selection__rendered");
      const name = fieldName(select);
      if (!choice || !choice.id || !name) {
        return;
      }
      const nameId = select.id + "_combobox_name";
      if (!document.getElementById(nameId)) {
        const span = document.createElement("span");
        span.id = nameId;
        span.hidden = true;
        span.textContent = name;
        container.after(span);
      }
      choice.removeAttribute("role");
      choice.removeAttribute("aria-readonly");
      combobox.setAttribute("aria-labelledby", nameId + " " + choice.id);
    });
  }

  // After the admin's own set-up: autocomplete.js starts select2 in a jQuery ready handler,
  // registered before this (deferred) script runs, so this handler runs after it.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(function () {
      nameComboboxes(document);
    });
  }
  document.addEventListener("formset:added", function (event) {
    setTimeout(function () {
      nameComboboxes(event.target);
    }, 0);
  });
})();
